using System.Text.Json;
using HybridSearch.Cli.Output;
using HybridSearch.Codecs;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Querying;

/// <summary>
/// Deferral end to end (<see cref="FusionOptions.Deferral"/>): on a real index of one-sentence captions embedded with
/// MiniLM, a query as long as a caption has its lexical leg give its weight to the semantic leg (the searcher reads the
/// lengths from the index's statistics), a keyword query keeps both legs, and the sharded path decides alike.
/// </summary>
public sealed class SentenceQueryDeferralTests : IDisposable
{
    private static readonly string[] Captions =
    [
        "A man riding a wave on top of a surfboard.",
        "A dog catching a frisbee in a grassy park.",
        "Two giraffes standing next to a tall tree.",
        "A plate of pasta with tomato sauce and basil.",
        "A red double decker bus driving down a city street.",
        "A woman holding an umbrella in the rain.",
        "A cat sleeping on a laptop keyboard.",
        "A group of people flying kites on a beach.",
        "A train stopped at a station platform.",
        "A bowl of fruit with bananas and apples on a table.",
        "A skier going down a snowy mountain slope.",
        "A man with a surfboard walking on the sand.",
    ];

    private readonly TempDirectory _directory = new();
    private readonly HybridIndex _index;
    private readonly HybridSearcher _searcher;

    public SentenceQueryDeferralTests()
    {
        var embedder = TestModels.Text;
        _index = HybridIndex.Open(_directory.Combine("index"), HybridIndexOptions.Default
            .WithVectorField(IndexFieldNames.TextVector, new VectorFieldOptions(embedder.Info.Dimension, VectorSimilarity.Cosine) { Embedder = embedder.Info.Name }));
        var records = Captions.Select((caption, i) => new IndexedRecord($"photo-{i:D2}", string.Empty, caption)).ToList();
        var chunks = embedder.EmbedChunks(records.Select(r => r.ChunkSource).ToList());
        for (var i = 0; i < records.Count; i++)
        {
            _index.Upsert(new IndexedRecord(records[i].Id, string.Empty, Captions[i], chunks: HybridSearchFixture.Chunks(chunks[i])));
        }

        _index.Commit();
        _index.Refresh();
        _searcher = new HybridSearcher(_index, embedder);
    }

    [Fact]
    public async Task ACaptionLongQueryDefersToTheSemanticLegAndFollowsItsOrder()
    {
        var query = HybridQuery.ForText("Someone on a surf board riding the ocean waves.");
        var options = HybridSearchOptions.Default with { Explain = true, PageSize = 12 };

        var results = await _searcher.SearchAsync(query, options);

        var lexical = results.LegSignals.Single(s => s.Leg == nameof(SearchLeg.Lexical));
        var semantic = results.LegSignals.Single(s => s.Leg == nameof(SearchLeg.SemanticText));
        Assert.Equal(nameof(SearchLeg.SemanticText), lexical.DeferredTo);
        Assert.Equal(0, lexical.Weight);
        Assert.True(semantic.Weight > 1, $"the semantic leg should have taken the lexical leg's weight, counted {semantic.Weight}");
        Assert.All(results.Hits.SelectMany(h => h.Legs).Where(l => l.Leg == SearchLeg.Lexical), l => Assert.Equal(0, l.Contribution));

        // The fused order is the semantic leg's own order.
        var semanticAlone = await _searcher.SearchAsync(query, (HybridSearchOptions.Default with { PageSize = 12 }).WithWeight(SearchLeg.Lexical, 0));
        Assert.Equal(semanticAlone.Hits.Select(h => h.RecordId), results.Hits.Select(h => h.RecordId));
        Assert.Equal("photo-00", results.Hits[0].RecordId);

        // --explain shows it, in JSON and in the table.
        using var json = JsonDocument.Parse(SearchJsonWriter.Write(results, explain: true));
        var fusion = json.RootElement.GetProperty("fusion");
        Assert.True(fusion.GetProperty("deferral").GetBoolean());
        Assert.Equal("semantic_text", fusion.GetProperty("legs").GetProperty("lexical").GetProperty("deferred_to").GetString());
        Assert.False(fusion.GetProperty("legs").GetProperty("semantic_text").TryGetProperty("deferred_to", out _));
    }

    [Fact]
    public async Task AKeywordQueryOrDeferralOffKeepsBothLegs()
    {
        var options = HybridSearchOptions.Default with { Explain = true };
        var keyword = await _searcher.SearchAsync(HybridQuery.ForText("surfboard"), options);
        Assert.All(keyword.LegSignals, s => Assert.Null(s.DeferredTo));
        Assert.True(keyword.LegSignals.Single(s => s.Leg == nameof(SearchLeg.Lexical)).Weight > 0);

        var off = await _searcher.SearchAsync(HybridQuery.ForText("Someone on a surf board riding the ocean waves."), options with { Fusion = options.Fusion with { Deferral = false } });
        Assert.All(off.LegSignals, s => Assert.Null(s.DeferredTo));
        Assert.Equal(1, off.LegSignals.Single(s => s.Leg == nameof(SearchLeg.Lexical)).Weight, 9);
    }

    [Fact]
    public async Task ShardedSearchDecidesAsOneIndexDoes()
    {
        var query = HybridQuery.ForText("Someone on a surf board riding the ocean waves.");
        var options = HybridSearchOptions.Default with { PageSize = 12 };
        var single = await _searcher.SearchAsync(query, options);

        var statistics = _searcher.CollectStatistics(query, options);
        var legs = await _searcher.SearchLegsAsync(query, options, statistics);
        Assert.True(legs.Single(l => l.Leg == SearchLeg.Lexical).QueryAsLongAsRecords);
        Assert.False(legs.Single(l => l.Leg == SearchLeg.SemanticText).QueryAsLongAsRecords);
        var ranked = HybridSearcher.RankShardLegs(query, options, [legs]);
        Assert.True(ranked.Single(l => l.Name == nameof(SearchLeg.Lexical)).QueryAsLongAsRecords);

        var page = ScoreFusion.Page(HybridSearcher.FuseShardLegs(query, options, [legs]), 0, 12);
        Assert.Equal(single.Hits.Select(h => (h.RecordId, Math.Round(h.Score, 9))), page.Select(h => (h.Key, Math.Round(h.Score, 9))));
    }

    [Fact]
    public void TheCommandLineTurnsDeferralOffOnlyWhenAsked()
    {
        Assert.True(HybridSearch.Cli.Querying.FusionTuning.Default.Apply(HybridSearchOptions.Default).Fusion.Deferral);
        Assert.False((HybridSearch.Cli.Querying.FusionTuning.Default with { Deferral = false }).Apply(HybridSearchOptions.Default).Fusion.Deferral);
    }

    [Fact]
    public void AStoredProfileKeepsItsDeferralAndAnOlderOneTakesTheDefault()
    {
        var off = new FusionProfile(FusionOptions.Default with { Deferral = false }, new Dictionary<string, float>(), new Dictionary<string, float>());
        Assert.Contains("\"deferral\":false", off.ToJson(), StringComparison.Ordinal);
        Assert.False(FusionProfile.FromJson(off.ToJson()).Fusion.Deferral);
        Assert.True(FusionProfile.FromJson("{\"method\":\"bounded\"}").Fusion.Deferral);
    }

    public void Dispose()
    {
        _index.Dispose();
        _directory.Dispose();
    }
}
