using Orleans.Placement;

namespace HybridSearch.Cluster.Placement;

/// <summary>Places a grain keyed <c>"{index}/{shard}"</c> with <see cref="ShardSpreadPlacement"/>; the silo must
/// register its director (<see cref="Hosting.ClusterSiloHost.AddHybridSearchShards"/> does).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ShardSpreadPlacementAttribute() : PlacementAttribute(ShardSpreadPlacement.Instance);
