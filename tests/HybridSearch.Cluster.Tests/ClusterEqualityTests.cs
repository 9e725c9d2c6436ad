using HybridSearch.Cluster.Coordination;
using HybridSearch.Cluster.Hosting;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;

namespace HybridSearch.Cluster.Tests;

/// <summary>A 3-shard index on a 3-silo cluster answers like one index over the same records: BM25 (global
/// statistics), dense kNN and the fused ranking, ids and scores.</summary>
public sealed class ClusterEqualityTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>, IDisposable
{
    private readonly string _single = Path.Combine(Path.GetTempPath(), "hybridsearch-single-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_single, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Bm25DenseAndFusedTopTenEqualASingleIndex()
    {
        // 600 records: more text vectors than the 256 the kNN background samples, so the fused scores are equal only
        // because the shards' bottom-k sketches merge into the single index's; the single index is written in several
        // commits (several segments), the shards in one, so the sample must not depend on the layout either.
        var records = TestCorpus.Records(600);
        using var single = HybridIndex.Open(_single, TestCorpus.IndexOptions);
        foreach (var chunk in records.Chunk(170))
        {
            chunk.ToList().ForEach(single.Upsert);
            single.Commit();
        }

        single.Refresh();

        var cluster = await ClusterIndex.OpenOrCreateAsync(fixture.Cluster.Client, "equality", 3, TestCorpus.VectorFields);
        records.ForEach(cluster.Upsert);
        await cluster.CommitAsync();

        // Every shard holds records, and BM25 statistics differ between them (else global statistics prove nothing).
        var shards = await cluster.StatsAsync();
        Assert.All(shards, s => Assert.True(s.Records > 150, $"shard {s.Shard} holds {s.Records} records"));
        Assert.Equal(records.Count, shards.Sum(s => s.Records));

        using var embedder = new HashingTextEmbedder();
        var searcher = new HybridSearcher(single, embedder);
        var variants = new (string Name, HybridSearchOptions Options)[]
        {
            ("bm25", HybridSearchOptions.Default.WithLegs(SearchLeg.Lexical)),
            ("dense", HybridSearchOptions.Default.WithLegs(SearchLeg.SemanticText)),
            ("fused", HybridSearchOptions.Default),
            ("rrf", HybridSearchOptions.Default.WithFusion(FusionMethod.ReciprocalRank)),
            ("filtered", HybridSearchOptions.Default),
        };
        foreach (var text in TestCorpus.Queries())
        {
            foreach (var (name, options) in variants)
            {
                var query = HybridQuery.ForText(text);
                if (name == "filtered")
                {
                    query = query.WithFilter(SearchFilter.None.WithKeyword("topic", "a"));
                }

                var expected = await searcher.SearchAsync(query, options with { Explain = true });
                var actual = await cluster.SearchAsync(query, options with { Explain = true }, embedder);
                Assert.False(actual.Partial);
                Assert.True(expected.Hits.Count > 0, $"{name} '{text}': no hits");
                Assert.Equal(expected.TotalFused, actual.Results.TotalFused);
                Assert.Equal(expected.Hits.Select(h => h.RecordId), actual.Results.Hits.Select(h => h.RecordId));
                foreach (var (e, a) in expected.Hits.Zip(actual.Results.Hits))
                {
                    Assert.True(Math.Abs(e.Legs[0].RawScore - a.Legs[0].RawScore) <= 1e-4 * Math.Abs(e.Legs[0].RawScore), $"{name} '{text}' {e.RecordId}: raw {e.Legs[0].RawScore} vs {a.Legs[0].RawScore}; normalised {e.Legs[0].NormalizedScore} vs {a.Legs[0].NormalizedScore}");
                    Assert.True(Math.Abs(e.Score - a.Score) <= 1e-4 * Math.Max(1e-9, Math.Abs(e.Score)), $"{name} '{text}' {e.RecordId}: fused {e.Score} vs {a.Score}");
                    Assert.Equal(e.Title, a.Title);
                    Assert.Equal(e.Snippet, a.Snippet);
                    Assert.Equal(e.Legs.Select(l => (l.Leg, l.Rank)), a.Legs.Select(l => (l.Leg, l.Rank)));
                    foreach (var (el, al) in e.Legs.Zip(a.Legs))
                    {
                        Assert.True(Math.Abs(el.RawScore - al.RawScore) <= 1e-4 * Math.Abs(el.RawScore), $"{name} '{text}' {e.RecordId} {el.Leg}: {el.RawScore} vs {al.RawScore}");
                        Assert.Equal(el.LuceneExplanation?.Value, al.LuceneExplanation?.Value);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task TheFusionProfileInTheCatalogueAppliesAsASingleIndexsStoredProfile()
    {
        var records = TestCorpus.Records(150, seed: 3);
        var profile = FusionProfile.FromJson("""{"method":"minmax","weights":{"SemanticText":3,"Lexical":0.5}}""");
        using var single = HybridIndex.Open(_single, TestCorpus.IndexOptions);
        records.ForEach(single.Upsert);
        single.SaveFusionProfileJson(profile.ToJson());
        single.Commit();
        single.Refresh();
        var cluster = await ClusterIndex.OpenOrCreateAsync(fixture.Cluster.Client, "profiled", 3, TestCorpus.VectorFields);
        records.ForEach(cluster.Upsert);
        await cluster.CommitAsync();
        Assert.Null(cluster.FusionProfile);
        await cluster.SetFusionProfileAsync(profile);
        // Stored in the catalogue: an index opened afterwards (another client, the CLI) fuses with it too.
        var reopened = await ClusterIndex.OpenAsync(fixture.Cluster.Client, "profiled");
        Assert.Equal(profile.ToJson(), reopened.FusionProfile?.ToJson());

        using var embedder = new HashingTextEmbedder();
        var searcher = new HybridSearcher(single, embedder);
        var differs = 0;
        foreach (var text in TestCorpus.Queries())
        {
            var query = HybridQuery.ForText(text);
            foreach (var options in new[] { HybridSearchOptions.Default, HybridSearchOptions.Default with { UseIndexProfile = false } })
            {
                var expected = await searcher.SearchAsync(query, options);
                var actual = await reopened.SearchAsync(query, options, embedder);
                Assert.Equal(expected.Fusion.Method, actual.Results.Fusion.Method);
                Assert.Equal(expected.Hits.Select(h => h.RecordId), actual.Results.Hits.Select(h => h.RecordId));
                Assert.All(expected.Hits.Zip(actual.Results.Hits), p => Assert.True(Math.Abs(p.First.Score - p.Second.Score) <= 1e-4 * Math.Max(1e-9, Math.Abs(p.First.Score)), $"'{text}' {p.First.RecordId}: {p.First.Score} vs {p.Second.Score}"));
            }

            var fitted = await reopened.SearchAsync(query, HybridSearchOptions.Default, embedder);
            var plain = await reopened.SearchAsync(query, HybridSearchOptions.Default with { UseIndexProfile = false }, embedder);
            Assert.Equal(FusionMethod.MinMax, fitted.Results.Fusion.Method);
            differs += fitted.Results.Hits.Select(h => (h.RecordId, h.Score)).SequenceEqual(plain.Results.Hits.Select(h => (h.RecordId, h.Score))) ? 0 : 1;
        }

        Assert.True(differs > 0, "the profile should change some ranking");
        await cluster.SetFusionProfileAsync(null);
        Assert.Null((await ClusterIndex.OpenAsync(fixture.Cluster.Client, "profiled")).FusionProfile);
    }

    [Fact]
    public async Task AShardThatCannotOpenIsNamedInAPartialResult()
    {
        var index = await ClusterIndex.OpenOrCreateAsync(fixture.Cluster.Client, "locked", 3, TestCorpus.VectorFields);
        TestCorpus.Records(90).ForEach(index.Upsert);
        await index.CommitAsync();

        // Close every shard (as after a restart), then hold shard 1's writer lock here, as a silo that has not let
        // go of it would: shard 1 cannot be opened, the others can.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var storage = new ShardStorageOptions(fixture.DataDirectory);
        using var embedder = new HashingTextEmbedder();
        index.ShardTimeout = TimeSpan.FromSeconds(3);
        using (HybridIndex.Open(storage.ShardDirectory("locked", 1), TestCorpus.IndexOptions))
        {
            var partial = await index.SearchAsync(HybridQuery.ForText("heart w1 w2"), HybridSearchOptions.Default, embedder);
            Assert.True(partial.Partial);
            Assert.Equal([1], partial.MissingShards);
            Assert.NotEmpty(partial.Results.Hits);
            Assert.All(partial.Results.Hits, h => Assert.NotEqual(1, ShardRouter.ShardOf(h.RecordId, 3)));
        }

        var whole = await index.SearchAsync(HybridQuery.ForText("heart w1 w2"), HybridSearchOptions.Default, embedder);
        Assert.False(whole.Partial);
        Assert.Contains(whole.Results.Hits, h => ShardRouter.ShardOf(h.RecordId, 3) == 1);
    }
}
