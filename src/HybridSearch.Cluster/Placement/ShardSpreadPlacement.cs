namespace HybridSearch.Cluster.Placement;

/// <summary>
/// The placement of shard grains: shard <c>s</c> of an index runs on silo <c>(s + offset(index)) mod n</c> of the
/// <c>n</c> live silos in a stable order (<see cref="ShardSpreadPlacementDirector"/>), so one index's shards spread
/// evenly over the cluster.
/// </summary>
/// <remarks>
/// Why not Orleans' default: resource-optimised placement picks the silo with the best CPU and memory statistics at
/// the moment a grain activates, and the shards of an index activate together (the first search or ingest batch
/// reaches every shard at once), before those statistics change — so they can all gather on one silo (a 3-silo test
/// cluster put all six shards of an index on one) and one machine does all the work. Random placement spreads only
/// on average. A rule on the shard number gives each silo ⌊S/n⌋ or ⌈S/n⌉ of an index's S shards; the offset (a stable
/// hash of the index name) starts each index on a different silo so that several small indexes do not all put their
/// shard 0 on the same one.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class ShardSpreadPlacement : PlacementStrategy
{
    /// <summary>The strategy (it has no parameters).</summary>
    public static ShardSpreadPlacement Instance { get; } = new();
}
