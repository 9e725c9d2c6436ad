using HybridSearch.Querying;

namespace HybridSearch.Cluster.Coordination;

/// <summary>A page of results from a sharded index, with the shards that did not answer in time.</summary>
/// <param name="Results">The fused page, as a single index returns it.</param>
/// <param name="MissingShards">Shards (0-based) left out because they failed or timed out; empty when whole.</param>
public sealed record ClusterSearchResults(HybridSearchResults Results, IReadOnlyList<int> MissingShards)
{
    /// <summary>True when some shards did not answer, so records they hold may be missing from the page.</summary>
    public bool Partial => MissingShards.Count > 0;
}
