using HybridSearch.Cluster.Coordination;
using HybridSearch.Cluster.Hosting;
using HybridSearch.Indexing;

namespace HybridSearch.Cluster.Tests;

/// <summary>A shard activation that finds its directory's writer lock still held (its previous owner has not closed
/// it yet) waits for the lock instead of failing at once.</summary>
public sealed class ClusterShardLockTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task AShardWaitsForAWriterLockThatIsReleasedSoon()
    {
        var index = await ClusterIndex.OpenOrCreateAsync(fixture.Cluster.Client, "locked", 3, TestCorpus.VectorFields);
        index.ShardTimeout = TimeSpan.FromSeconds(15);
        var directory = new ShardStorageOptions(fixture.DataDirectory).ShardDirectory("locked", 0);
        var holder = HybridIndex.Open(directory, TestCorpus.IndexOptions);
        var stats = index.StatsAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(stats.IsCompleted, "the shard answered while its directory was locked");
        holder.Dispose();
        Assert.All(await stats, s => Assert.NotNull(s.Silo));
    }
}
