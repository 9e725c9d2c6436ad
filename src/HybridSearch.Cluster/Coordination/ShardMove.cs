namespace HybridSearch.Cluster.Coordination;

/// <summary>A shard <see cref="ClusterIndex.RebalanceAsync"/> found off the silo its placement rule names, and what
/// became of it.</summary>
/// <param name="Shard">The shard number (0-based).</param>
/// <param name="From">The silo it ran on.</param>
/// <param name="To">The silo the placement rule names over the live silos.</param>
/// <param name="Failure">Null when the shard answered from <paramref name="To"/>; otherwise why it did not (it then
/// runs on <paramref name="From"/> or wherever the message says).</param>
/// <param name="Elapsed">From asking the shard to move until it answered from <paramref name="To"/>, its directory
/// open there (or until the rebalance gave up on it).</param>
public sealed record ShardMove(int Shard, string From, string To, string? Failure, TimeSpan Elapsed)
{
    /// <summary>True when the shard now answers from <see cref="To"/>.</summary>
    public bool Moved => Failure is null;
}
