using System.Collections.Immutable;
using System.Net;
using HybridSearch.Cluster.Grains;
using HybridSearch.Cluster.Placement;
using Orleans.Metadata;

namespace HybridSearch.Cluster.Tests;

/// <summary>The placement rule itself, on silo addresses (the cluster tests check the runtime applies it).</summary>
public sealed class ShardSpreadPlacementDirectorTests
{
    private static SiloAddress Silo(int port, int generation = 1) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation);

    private static readonly SiloAddress[] Three = [Silo(11111), Silo(11112), Silo(11113)];

    [Fact]
    public void AnIndexsShardsCycleOverTheSilos()
    {
        var owners = Enumerable.Range(0, 7).Select(s => ShardSpreadPlacementDirector.SiloFor("papers", s, Three)).ToList();
        Assert.Equal([3, 2, 2], owners.GroupBy(o => o).Select(g => g.Count()).OrderDescending());
        Assert.All(Enumerable.Range(1, 6), s => Assert.NotEqual(owners[s - 1], owners[s]));
        Assert.All(Enumerable.Range(3, 4), s => Assert.Equal(owners[s - 3], owners[s]));
    }

    [Fact]
    public void TheOrderInWhichSilosAreListedDoesNotMatter()
    {
        SiloAddress[] reversed = [.. Three.Reverse()];
        SiloAddress[] rotated = [Three[1], Three[2], Three[0]];
        Assert.All(Enumerable.Range(0, 6), s =>
        {
            var owner = ShardSpreadPlacementDirector.SiloFor("papers", s, Three);
            Assert.Equal(owner, ShardSpreadPlacementDirector.SiloFor("papers", s, reversed));
            Assert.Equal(owner, ShardSpreadPlacementDirector.SiloFor("papers", s, rotated));
        });
    }

    [Fact]
    public void ASiloRestartedOnItsEndpointTakesItsPlaceBack()
    {
        // SiloAddress' own order puts the youngest generation last; the placement orders by endpoint first.
        SiloAddress[] restarted = [Silo(11111, generation: 9), Three[1], Three[2]];
        Assert.All(Enumerable.Range(0, 6), s => Assert.Equal(
            ShardSpreadPlacementDirector.SiloFor("papers", s, Three).Endpoint,
            ShardSpreadPlacementDirector.SiloFor("papers", s, restarted).Endpoint));
    }

    [Fact]
    public void ALostSilosShardsSpreadOverTheRest()
    {
        var before = Enumerable.Range(0, 6).Select(s => ShardSpreadPlacementDirector.SiloFor("papers", s, Three)).ToList();
        var lost = before[0];
        var live = Three.Where(s => s != lost).ToList();
        var moved = Enumerable.Range(0, 6).Where(s => before[s] == lost).Select(s => ShardSpreadPlacementDirector.SiloFor("papers", s, live)).ToList();
        Assert.Equal(2, moved.Count);
        Assert.Equal(live.Order(), moved.Order());
    }

    [Fact]
    public void NoLiveSiloIsAnErrorNamingTheShard()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ShardSpreadPlacementDirector.SiloFor("papers", 2, []));
        Assert.Contains("shard 2 of index 'papers'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catalogue")]
    [InlineData("papers/")]
    [InlineData("/3")]
    [InlineData("papers/-1")]
    [InlineData("papers/x")]
    public void AKeyThatIsNotAShardKeyIsRefusedWithTheKeyNamed(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => ShardKey.Parse(key));
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AShardKeyRoundTrips() => Assert.Equal(("med.v2_x", 12), ShardKey.Parse(ShardKey.Format("med.v2_x", 12)));

    [Fact]
    public void TheCompatibleSilosAreTheSilosWhoseManifestHasTheGrainType()
    {
        // What a shard computes its rule over (rebalance) must be what placement passes the director: a silo without
        // the grain type, and a client, are not candidates.
        var shard = GrainType.Create("shard");
        var other = GrainType.Create("other");
        static GrainManifest Manifest(params GrainType[] types) => new(
            types.ToImmutableDictionary(t => t, _ => new GrainProperties(ImmutableDictionary.Create<string, string>(StringComparer.Ordinal))),
            ImmutableDictionary<GrainInterfaceType, GrainInterfaceProperties>.Empty);
        var client = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 30000), -1);
        var manifest = new ClusterManifest(new MajorMinorVersion(1, 1), new Dictionary<SiloAddress, GrainManifest>
        {
            [Three[0]] = Manifest(shard, other),
            [Three[1]] = Manifest(other),
            [Three[2]] = Manifest(shard),
            [client] = Manifest(shard),
        }.ToImmutableDictionary());
        Assert.True(ShardSpreadPlacementDirector.CompatibleSilos(manifest, shard).ToHashSet().SetEquals([Three[0], Three[2]]));
        Assert.Empty(ShardSpreadPlacementDirector.CompatibleSilos(manifest, GrainType.Create("absent")));
    }
}
