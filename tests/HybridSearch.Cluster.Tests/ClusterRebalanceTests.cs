using System.Diagnostics;
using System.Globalization;
using HybridSearch.Cluster.Coordination;
using HybridSearch.Cluster.Grains;
using HybridSearch.Cluster.Placement;
using HybridSearch.Cluster.Wire;
using HybridSearch.Querying;
using Xunit.Abstractions;

namespace HybridSearch.Cluster.Tests;

/// <summary>A silo stops (its shards open on the survivors), a new one joins (it takes none), and
/// <see cref="ClusterIndex.RebalanceAsync"/> puts every shard back on the silo the placement rule names over the three
/// live silos: two of six each, searches whole and equal to before (during the move too, when whole), every committed
/// record there, and a second rebalance moves nothing. The searches that ran during the move are reported (count,
/// partial, latency) in the test output.</summary>
public sealed class ClusterRebalanceTests(ThreeSiloCluster fixture, ITestOutputHelper output) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task ARebalanceAfterASiloReturnsPutsEveryShardOnItsRuleSilo()
    {
        var (index, victim, victimShards) = await ClusterFailureSetup.PrepareAsync(fixture.Cluster, "rebalanced");
        using var embedder = new HashingTextEmbedder();
        var queries = TestCorpus.Queries().ToList();
        var before = new List<List<(string, double)>>();
        foreach (var query in queries)
        {
            var result = await index.SearchAsync(HybridQuery.ForText(query), HybridSearchOptions.Default, embedder);
            Assert.False(result.Partial);
            before.Add(Ranking(result));
        }

        await fixture.Cluster.StopSiloAsync(victim);
        var taken = await index.StatsAsync();
        Assert.Equal(240, taken.Sum(s => s.Records));
        Assert.DoesNotContain(victim.SiloAddress.ToString(), taken.Select(s => s.Silo));

        var joined = await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.WaitForManifestsAsync();
        var live = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToList();
        Assert.Equal(3, live.Count);
        var rule = Enumerable.Range(0, 6).Select(s => ShardSpreadPlacementDirector.SiloFor(index.Name, s, live).ToString()).ToList();
        var offRule = Enumerable.Range(0, 6).Where(s => taken[s].Silo != rule[s]).ToList();
        // The joined silo holds nothing yet and the rule gives it two shards, so at least those two are off their silo.
        Assert.Equal(2, rule.Count(r => r == joined.SiloAddress.ToString()));
        Assert.True(offRule.Count >= 2, $"off-rule shards [{string.Join(", ", offRule)}]");

        // Searches keep running while the shards move; they are measured, and when whole they equal the ones before.
        var baseline = await SearchLoopAsync(index, embedder, queries, before, TimeSpan.FromSeconds(2), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var during = Task.Run(() => SearchLoopAsync(index, embedder, queries, before, TimeSpan.FromMinutes(5), stop.Token));
        var watch = Stopwatch.StartNew();
        var moves = await index.RebalanceAsync();
        var rebalanceTime = watch.Elapsed;
        await stop.CancelAsync();
        var searches = await during;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rebalance: {moves.Count} shards moved in {rebalanceTime.TotalMilliseconds:0} ms; per shard until it answered from its new silo: {string.Join(", ", moves.Select(m => $"{m.Shard} {m.Elapsed.TotalMilliseconds:0} ms"))}"));
        output.WriteLine(Describe("before the move (same cluster, 2 s)", baseline));
        output.WriteLine(Describe("during the move", searches));

        Assert.Equal(offRule, moves.Select(m => m.Shard));
        Assert.All(moves, m =>
        {
            Assert.True(m.Moved, m.Failure);
            Assert.Equal(taken[m.Shard].Silo, m.From);
            Assert.Equal(rule[m.Shard], m.To);
        });
        Assert.All(searches.Where(s => !s.Partial), s => Assert.True(s.EqualToBefore, $"query {s.Query}: a whole result during the move differs from before"));
        Assert.All(searches.Where(s => s.Partial), s => Assert.All(s.Missing, shard => Assert.InRange(shard, 0, 5)));

        var after = await index.StatsAsync();
        Assert.Equal(rule, after.Select(s => s.Silo));
        Assert.All(live, silo => Assert.Equal(2, after.Count(s => s.Silo == silo.ToString())));
        Assert.Equal(240, after.Sum(s => s.Records));
        Assert.Equal(240, (await index.KnownRecordsAsync(TestCorpus.Records(240).Select(r => r.Id))).Count);
        for (var i = 0; i < queries.Count; i++)
        {
            var result = await index.SearchAsync(HybridQuery.ForText(queries[i]), HybridSearchOptions.Default, embedder);
            Assert.False(result.Partial, $"missing shards {string.Join(",", result.MissingShards)} after the rebalance");
            Assert.Equal(before[i], Ranking(result));
        }

        // Balanced now: a second rebalance moves nothing.
        Assert.Empty(await index.RebalanceAsync());
        Assert.Equal(rule, (await index.StatsAsync()).Select(s => s.Silo));
    }

    private static List<(string, double)> Ranking(ClusterSearchResults result) => result.Results.Hits.Select(h => (h.RecordId, h.Score)).ToList();

    private sealed record TimedSearch(string Query, TimeSpan Took, bool Partial, IReadOnlyList<int> Missing, bool EqualToBefore);

    /// <summary>Runs the queries in turn until <paramref name="length"/> has passed or <paramref name="stop"/> fires.</summary>
    private static async Task<List<TimedSearch>> SearchLoopAsync(ClusterIndex index, HashingTextEmbedder embedder, List<string> queries, List<List<(string, double)>> before, TimeSpan length, CancellationToken stop)
    {
        var searches = new List<TimedSearch>();
        var total = Stopwatch.StartNew();
        for (var i = 0; !stop.IsCancellationRequested && total.Elapsed < length; i = (i + 1) % queries.Count)
        {
            var watch = Stopwatch.StartNew();
            var result = await index.SearchAsync(HybridQuery.ForText(queries[i]), HybridSearchOptions.Default, embedder);
            searches.Add(new TimedSearch(queries[i], watch.Elapsed, result.Partial, result.MissingShards, Ranking(result).SequenceEqual(before[i])));
        }

        return searches;
    }

    private static string Describe(string what, List<TimedSearch> searches)
    {
        var took = searches.Select(s => s.Took.TotalMilliseconds).Order().ToList();
        return took.Count == 0
            ? $"searches {what}: none"
            : string.Create(CultureInfo.InvariantCulture, $"searches {what}: {searches.Count}, partial {searches.Count(s => s.Partial)}, whole and equal to before {searches.Count(s => !s.Partial && s.EqualToBefore)}; latency p50 {took[took.Count / 2]:0} ms, max {took[^1]:0} ms");
    }
}

/// <summary>Upserts a shard acknowledged but did not commit before it moved are committed by the move (the old
/// activation closes its index, committing, before the new one opens the directory): found on the moved shards right
/// after the rebalance, and every record, old and new, after a commit.</summary>
public sealed class ClusterRebalanceWritesTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task UpsertsAcknowledgedBeforeAMoveAreCommittedByIt()
    {
        var (index, victim, _) = await ClusterFailureSetup.PrepareAsync(fixture.Cluster, "moved-writes");
        await fixture.Cluster.StopSiloAsync(victim);
        Assert.Equal(240, (await index.StatsAsync()).Sum(s => s.Records));
        await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.WaitForManifestsAsync();

        // Sent straight to the shard grains, as a full batch is: acknowledged by each shard, not committed.
        var client = fixture.Cluster.Client;
        var descriptor = await client.GetGrain<IIndexCatalogGrain>("catalogue").GetAsync(index.Name);
        Assert.NotNull(descriptor);
        var late = TestCorpus.Records(60, seed: 11, idPrefix: "late");
        foreach (var group in late.GroupBy(r => ShardRouter.ShardOf(r.Id, index.Shards)))
        {
            var written = await client.GetGrain<IShardGrain>(ShardKey.Format(index.Name, group.Key)).UpsertAsync(descriptor, group.Select(WireRecord.From).ToList());
            Assert.Equal(group.Count(), written.Upserted);
        }

        var moves = await index.RebalanceAsync();
        Assert.NotEmpty(moves);
        Assert.All(moves, m => Assert.True(m.Moved, m.Failure));

        // A moved shard reopened its directory from disk, so what it holds was committed by the move.
        var moved = moves.Select(m => m.Shard).ToHashSet();
        var lateOnMoved = late.Select(r => r.Id).Where(id => moved.Contains(ShardRouter.ShardOf(id, index.Shards))).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(lateOnMoved);
        Assert.Equal(lateOnMoved, (await index.KnownRecordsAsync(lateOnMoved)).Order(StringComparer.Ordinal));

        await index.CommitAsync();
        var all = TestCorpus.Records(240).Select(r => r.Id).Concat(late.Select(r => r.Id)).ToList();
        Assert.Equal(300, (await index.KnownRecordsAsync(all)).Count);
        Assert.Equal(300, (await index.StatsAsync()).Sum(s => s.Records));
    }
}
