using HybridSearch.Cluster.Wire;

namespace HybridSearch.Cluster.Grains;

/// <summary>One shard of a logical index: a <see cref="Indexing.HybridIndex"/> directory under the silos' data
/// folder, opened as the only writer by whichever silo activates the grain. Key: <c>"{index}/{shard}"</c>.</summary>
internal interface IShardGrain : IGrainWithStringKey
{
    // Writes may take long on a busy machine (a flush builds a segment's graph; a commit syncs files): Orleans' default
    // 30 s response timeout failed a MedPix ingest under load. A dead silo still fails the call at once (membership).
    [ResponseTimeout(WriteTimeout)]
    Task<WireWriteResult> UpsertAsync(WireIndexDescriptor index, List<WireRecord> records);

    [ResponseTimeout(WriteTimeout)]
    Task CommitAsync(WireIndexDescriptor index);

    [ResponseTimeout(WriteTimeout)]
    Task<bool> DeleteAsync(WireIndexDescriptor index, string id);

    /// <summary>How long a write may take before the caller gives up on it.</summary>
    private const string WriteTimeout = "00:10:00";

    Task<WireStatistics> CollectStatisticsAsync(WireIndexDescriptor index, WireQuery query);

    Task<List<WireShardLeg>> SearchLegsAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics);

    Task<List<WireHit>> DescribeAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics, List<WireFusedHit> hits);

    Task<WireShardStats> StatsAsync(WireIndexDescriptor index);

    /// <summary>Which of <paramref name="ids"/> are records of this shard.</summary>
    Task<List<string>> KnownRecordsAsync(WireIndexDescriptor index, List<string> ids);

    /// <summary>Where this shard runs and where the placement rule puts it over the live silos its silo sees; moves
    /// nothing (and opens no directory).</summary>
    Task<WireShardPlacement> PlacementAsync();

    /// <summary>Starts moving this shard to <paramref name="ruleSilo"/> when that is still the rule's silo and not its
    /// own (an Orleans migration, which begins once no call runs on the shard); returns the placement it saw.</summary>
    Task<WireShardPlacement> MoveToRuleSiloAsync(string ruleSilo);
}
