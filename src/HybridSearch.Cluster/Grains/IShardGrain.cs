using HybridSearch.Cluster.Wire;

namespace HybridSearch.Cluster.Grains;

/// <summary>One shard of a logical index: a <see cref="Indexing.HybridIndex"/> directory under the silos' data
/// folder, opened as the only writer by whichever silo activates the grain. Key: <c>"{index}/{shard}"</c>.</summary>
internal interface IShardGrain : IGrainWithStringKey
{
    Task<WireWriteResult> UpsertAsync(WireIndexDescriptor index, List<WireRecord> records);

    Task CommitAsync(WireIndexDescriptor index);

    Task<bool> DeleteAsync(WireIndexDescriptor index, string id);

    Task<WireStatistics> CollectStatisticsAsync(WireIndexDescriptor index, WireQuery query);

    Task<List<WireShardLeg>> SearchLegsAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics);

    Task<List<WireHit>> DescribeAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics, List<WireFusedHit> hits);

    Task<WireShardStats> StatsAsync(WireIndexDescriptor index);

    /// <summary>Which of <paramref name="ids"/> are records of this shard.</summary>
    Task<List<string>> KnownRecordsAsync(WireIndexDescriptor index, List<string> ids);
}
