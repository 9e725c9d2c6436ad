using HybridSearch.Cluster.Coordination;
using HybridSearch.Cluster.Placement;

namespace HybridSearch.Cluster.Tests;

/// <summary>Shard placement on a real cluster of three silos (the fixture sets no default placement): an index's
/// shards spread over the silos by shard number, each on the silo <see cref="ShardSpreadPlacementDirector"/> names.</summary>
public sealed class ClusterPlacementTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task AnIndexOfSixShardsPutsTwoOnEachSilo()
    {
        var owners = await OwnersAsync("spread-six", 6);
        Assert.All(fixture.Cluster.Silos, silo => Assert.Equal(2, owners.Count(o => o == silo.SiloAddress.ToString())));
        AssertFollowsTheRule("spread-six", owners);
    }

    [Fact]
    public async Task AnIndexOfThreeShardsPutsOneOnEachSilo()
    {
        var owners = await OwnersAsync("spread-three", 3);
        Assert.Equal(fixture.Cluster.Silos.Select(s => s.SiloAddress.ToString()).Order(StringComparer.Ordinal), owners.Order(StringComparer.Ordinal));
        AssertFollowsTheRule("spread-three", owners);
    }

    [Fact]
    public async Task SmallIndexesDoNotAllStartOnTheSameSilo()
    {
        // Without the offset (a hash of the index name), the only shard of every one-shard index would go to one silo.
        var owners = new List<string>();
        foreach (var name in new[] { "small-a", "small-b", "small-c", "small-d", "small-e", "small-f" })
        {
            var owner = await OwnersAsync(name, 1);
            AssertFollowsTheRule(name, owner);
            owners.Add(owner[0]);
        }

        Assert.True(owners.Distinct().Count() > 1, $"every one-shard index is on {owners[0]}");
    }

    [Fact]
    public async Task ARebalanceOfABalancedIndexMovesNothing()
    {
        var owners = await OwnersAsync("balanced", 6);
        var index = await ClusterIndex.OpenAsync(fixture.Cluster.Client, "balanced");
        Assert.Empty(await index.RebalanceAsync());
        Assert.Equal(owners, (await index.StatsAsync()).Select(s => s.Silo));
    }

    private async Task<List<string>> OwnersAsync(string name, int shards)
    {
        var index = await ClusterIndex.OpenOrCreateAsync(fixture.Cluster.Client, name, shards, TestCorpus.VectorFields);
        TestCorpus.Records(30).ForEach(index.Upsert);
        await index.CommitAsync();
        var stats = await index.StatsAsync();
        Assert.All(stats, s => Assert.NotNull(s.Silo));
        Assert.Equal(30, stats.Sum(s => s.Records));
        return stats.Select(s => s.Silo!).ToList();
    }

    private void AssertFollowsTheRule(string name, List<string> owners)
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToList();
        Assert.Equal(Enumerable.Range(0, owners.Count).Select(s => ShardSpreadPlacementDirector.SiloFor(name, s, silos).ToString()), owners);
    }
}
