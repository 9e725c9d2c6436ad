using System.IO.Hashing;
using System.Text;
using HybridSearch.Cluster.Grains;
using Orleans.Metadata;
using Orleans.Runtime.Placement;

namespace HybridSearch.Cluster.Placement;

/// <summary>
/// Chooses the silo of a shard grain activation (<see cref="ShardSpreadPlacement"/>): the compatible (live) silos in a
/// stable order — IP address, port, then generation, so a silo restarted on the same endpoint takes the same place —
/// and shard <c>s</c> of index <c>I</c> on silo <c>(s + XxHash64(UTF-8 I)) mod n</c>.
/// </summary>
/// <remarks>
/// Placement runs when a shard is called and no silo is known to hold it: on first use, and after its silo died or
/// left (the shard then activates on a survivor by the same rule over the silos live at that moment; the survivors'
/// own shards stay). A live activation is not moved by Orleans, so a silo that joins or returns takes none of the
/// existing shards until <see cref="Coordination.ClusterIndex.RebalanceAsync"/> migrates each shard that is off its
/// rule silo (migration runs placement again, this director). A shard Orleans deactivated for idleness may be
/// re-activated on the silo where callers last found it (their directory cache) without asking placement — seen in the
/// tests — so idleness does not reliably re-spread.
/// </remarks>
internal sealed class ShardSpreadPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The grain's key is not a shard key (<c>"{index}/{shard}"</c>).</exception>
    /// <exception cref="InvalidOperationException">No compatible silo is live.</exception>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (index, shard) = ShardKey.Parse(target.GrainIdentity.Key.ToString());
        return Task.FromResult(SiloFor(index, shard, context.GetCompatibleSilos(target)));
    }

    /// <summary>The silos placement chooses from for a grain of <paramref name="grainType"/> in
    /// <paramref name="manifest"/> (a silo's view of the cluster): the active silos whose grain manifest declares the
    /// type. This is the set Orleans passes <see cref="OnAddActivation"/> as the compatible silos
    /// (<see cref="IPlacementContext.GetCompatibleSilos"/> for a grain interface without a version: the silos of the
    /// cluster manifest, which holds only active silos, that support the grain type), so a shard can tell where
    /// placement would put it without being placed.</summary>
    public static IReadOnlyList<SiloAddress> CompatibleSilos(ClusterManifest manifest, GrainType grainType)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Silos.Where(s => !s.Key.IsClient && s.Value.Grains.ContainsKey(grainType)).Select(s => s.Key).ToList();
    }

    /// <summary>The silo of <paramref name="silos"/> (in any order) that shard <paramref name="shard"/> of
    /// <paramref name="index"/> goes to.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="silos"/> is empty.</exception>
    public static SiloAddress SiloFor(string index, int shard, IReadOnlyCollection<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(silos);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        if (silos.Count == 0)
        {
            throw new InvalidOperationException($"shard {shard} of index '{index}': no live silo can host it.");
        }

        var ordered = silos
            .OrderBy(s => s.Endpoint.Address.ToString(), StringComparer.Ordinal)
            .ThenBy(s => s.Endpoint.Port)
            .ThenBy(s => s.Generation)
            .ToList();
        var count = (ulong)ordered.Count;
        var offset = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(index)) % count;
        return ordered[(int)(((ulong)shard % count + offset) % count)];
    }
}
