using System.Diagnostics;
using HybridSearch.Cluster.Coordination;
using HybridSearch.Querying;
using Orleans.TestingHost;

namespace HybridSearch.Cluster.Tests;

/// <summary>A silo killed (no shutdown, no deactivation) under a sharded index: every search returns within the shard
/// timeouts without an exception, partial (naming only the killed silo's shards) or whole; the killed silo's shards
/// are taken over by the survivors and every committed record is found again.</summary>
public sealed class ClusterKilledSiloTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task SearchesSurviveAKilledSiloAndItsShardsComeBack()
    {
        var (index, victim, _) = await ClusterFailureSetup.PrepareAsync(fixture.Cluster, "killed");
        var timeout = TimeSpan.FromSeconds(2);
        index.ShardTimeout = timeout;
        using var embedder = new HashingTextEmbedder();

        await fixture.Cluster.KillSiloAsync(victim);

        var whole = false;
        var deadline = Stopwatch.StartNew();
        while (!whole && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var watch = Stopwatch.StartNew();
            var result = await index.SearchAsync(HybridQuery.ForText("heart blood pressure"), HybridSearchOptions.Default, embedder);
            Assert.True(watch.Elapsed < timeout * 3 + TimeSpan.FromSeconds(2), $"search took {watch.Elapsed}");
            // Partial results name what they lack. The killed silo's shards are missing until taken over; a surviving
            // shard may also miss the 2 s timeout when the machine is starved (seen under load), and is then named too.
            Assert.Equal(result.Partial, result.MissingShards.Count > 0);
            Assert.All(result.MissingShards, shard => Assert.InRange(shard, 0, 5));
            Assert.All(result.Results.Hits, h => Assert.DoesNotContain(ShardRouter.ShardOf(h.RecordId, 6), result.MissingShards));
            whole = !result.Partial;
        }

        Assert.True(whole, "the killed silo's shards did not come back within a minute");
        var stats = await index.StatsAsync();
        Assert.Equal(240, stats.Sum(s => s.Records));
    }
}

/// <summary>A silo stopped gracefully closes its shards; they are opened again on the surviving silos and searches are
/// whole and unchanged.</summary>
public sealed class ClusterStoppedSiloTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task AStoppedSilosShardsComeBackOnAnotherSilo()
    {
        var (index, victim, victimShards) = await ClusterFailureSetup.PrepareAsync(fixture.Cluster, "stopped");
        using var embedder = new HashingTextEmbedder();
        var before = await index.SearchAsync(HybridQuery.ForText("heart blood pressure"), HybridSearchOptions.Default, embedder);
        Assert.False(before.Partial);

        await fixture.Cluster.StopSiloAsync(victim);

        var after = await index.SearchAsync(HybridQuery.ForText("heart blood pressure"), HybridSearchOptions.Default, embedder);
        Assert.False(after.Partial, $"missing shards {string.Join(",", after.MissingShards)} after the stop");
        Assert.Equal(before.Results.Hits.Select(h => (h.RecordId, h.Score)), after.Results.Hits.Select(h => (h.RecordId, h.Score)));
        var stats = await index.StatsAsync();
        Assert.All(stats, s => Assert.NotEqual(victim.SiloAddress.ToString(), s.Silo));
        Assert.Equal(240, stats.Sum(s => s.Records));
        Assert.NotEmpty(victimShards);
    }
}

internal static class ClusterFailureSetup
{
    /// <summary>Creates a 6-shard index of 240 records and picks a secondary silo (the primary hosts the test
    /// cluster's membership table) that owns at least one shard; when placement put all six on the primary (1 in 729
    /// under the fixture's random placement), another index is created, up to five.</summary>
    public static async Task<(ClusterIndex Index, SiloHandle Victim, List<int> VictimShards)> PrepareAsync(TestCluster cluster, string name)
    {
        var owners = new List<string>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var index = await ClusterIndex.OpenOrCreateAsync(cluster.Client, attempt == 1 ? name : $"{name}-{attempt}", 6, TestCorpus.VectorFields);
            TestCorpus.Records(240).ForEach(index.Upsert);
            await index.CommitAsync();
            var stats = await index.StatsAsync();
            foreach (var silo in cluster.SecondarySilos)
            {
                var shards = stats.Where(s => s.Silo == silo.SiloAddress.ToString()).Select(s => s.Shard).ToList();
                if (shards.Count > 0)
                {
                    return (index, silo, shards);
                }
            }

            owners.Add(string.Join(", ", stats.Select(s => s.Silo)));
        }

        throw new InvalidOperationException($"no secondary silo owned a shard of five indexes (owners: {string.Join("; ", owners)}); placement put every shard on the primary.");
    }
}
