using System.Text.Json;
using HybridSearch.Cli.Output;
using HybridSearch.Fusion;
using HybridSearch.Querying;
using Spectre.Console;

namespace HybridSearch.Tests.Querying;

/// <summary>
/// A record the semantic leg finds and BM25 does not match (a paraphrase: no query word in it) is explained as
/// "credited, not matched" (<see cref="LegExplanation.Abstained"/>), on a single index and through the sharded path.
/// </summary>
public class AbstentionExplanationTests(HybridSearchFixture fixture) : IClassFixture<HybridSearchFixture>
{
    // "widget" matches the 30 catalogue items (BM25's matches); "bike tire repair" is the bike record's meaning in words
    // it does not hold ("bicycle tyre", "fixing"), so MiniLM holds it above its floor and BM25 abstains on it.
    private static readonly HybridQuery Query = HybridQuery.ForText("bike tire repair widget");

    private readonly HybridSearcher _searcher = new(fixture.Index, fixture.TextEmbedder, fixture.ImageEmbedder);

    [Fact]
    public async Task AnAbstainedLegIsExplainedAsCreditedNotMatched()
    {
        var results = await _searcher.SearchAsync(Query, HybridSearchOptions.Default with { Explain = true, PageSize = 10 });

        var bike = results.Hits.Single(h => h.RecordId == "bike");
        var lexical = bike.Legs.Single(l => l.Leg == SearchLeg.Lexical);
        Assert.True(lexical.Abstained);
        Assert.Equal(0, lexical.Rank);
        Assert.Equal(string.Empty, lexical.MatchedDocumentId);
        Assert.Null(lexical.LuceneExplanation);
        Assert.True(lexical.Contribution > 0);
        Assert.Equal(bike.Score, bike.Legs.Sum(l => l.Contribution), 9);

        // The credit is the lexical leg's weakest match: no matched lexical leg on the page scores below it.
        var matched = results.Hits.SelectMany(h => h.Legs).Where(l => l.Leg == SearchLeg.Lexical && !l.Abstained).ToList();
        Assert.NotEmpty(matched);
        Assert.All(matched, l => Assert.True(l.RawScore >= lexical.RawScore));
        Assert.All(matched, l => Assert.NotNull(l.LuceneExplanation));

        // The semantic leg matched the bike record's text; the snippet comes from it, not from the abstained leg.
        var semantic = bike.Legs.Single(l => l.Leg == SearchLeg.SemanticText);
        Assert.False(semantic.Abstained);
        Assert.StartsWith("bike", semantic.MatchedDocumentId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(bike.Snippet));
        Assert.Equal("Fixing a flat bicycle tyre", bike.Title);
    }

    [Fact]
    public async Task ExplainJsonAndTableShowTheAbstainedState()
    {
        var results = await _searcher.SearchAsync(Query, HybridSearchOptions.Default with { Explain = true, PageSize = 10 });

        using var json = JsonDocument.Parse(SearchJsonWriter.Write(results, explain: true));
        var bike = json.RootElement.GetProperty("hits").EnumerateArray().Single(h => h.GetProperty("id").GetString() == "bike");
        var lexical = bike.GetProperty("legs").GetProperty("lexical");
        Assert.True(lexical.GetProperty("abstained").GetBoolean());
        Assert.Equal(0, lexical.GetProperty("rank").GetInt32());
        Assert.Equal(string.Empty, lexical.GetProperty("matched").GetString());
        Assert.False(bike.GetProperty("legs").GetProperty("semantic_text").GetProperty("abstained").GetBoolean());
        Assert.True(json.RootElement.GetProperty("fusion").GetProperty("abstention").GetBoolean());

        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 400;
        SearchTableRenderer.Render(console, results, explain: true);
        Assert.Contains("lexical abstained score", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("lexical: abstained (credited, not matched", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommandLineTurnsAbstentionOffOnlyWhenAsked()
    {
        Assert.True(HybridSearch.Cli.Querying.FusionTuning.Default.Apply(HybridSearchOptions.Default).Fusion.Abstention);
        Assert.False((HybridSearch.Cli.Querying.FusionTuning.Default with { Abstention = false }).Apply(HybridSearchOptions.Default).Fusion.Abstention);
    }

    [Fact]
    public async Task WithoutAbstentionTheRecordHasNoLexicalLeg()
    {
        var options = HybridSearchOptions.Default with { Explain = true, PageSize = 10, Fusion = FusionOptions.Default with { Abstention = false } };
        var results = await _searcher.SearchAsync(Query, options);

        Assert.DoesNotContain(results.Hits.SelectMany(h => h.Legs), l => l.Abstained);
        Assert.DoesNotContain(results.Hits.Single(h => h.RecordId == "bike").Legs, l => l.Leg == SearchLeg.Lexical);
    }

    [Fact]
    public async Task ShardedSearchFusesAndExplainsTheAbstentionAsOneIndexDoes()
    {
        var options = HybridSearchOptions.Default with { Explain = true, PageSize = 10 };
        var single = await _searcher.SearchAsync(Query, options);

        var statistics = _searcher.CollectStatistics(Query, options);
        var legs = await _searcher.SearchLegsAsync(Query, options, statistics);
        var fused = HybridSearcher.FuseShardLegs(Query, options, [legs]);
        var page = ScoreFusion.Page(fused, 0, 10);
        Assert.Equal(single.Hits.Select(h => (h.RecordId, Math.Round(h.Score, 9))), page.Select(h => (h.Key, Math.Round(h.Score, 9))));

        var described = await _searcher.DescribeHitsAsync(Query, options, statistics, page);
        var bike = described.Single(h => h.RecordId == "bike");
        var lexical = bike.Legs.Single(l => l.Leg == SearchLeg.Lexical);
        Assert.True(lexical.Abstained);
        Assert.Equal(string.Empty, lexical.MatchedDocumentId);
        Assert.Equal(single.Hits.Single(h => h.RecordId == "bike").Legs.Select(l => (l.Leg, l.Abstained, l.Contribution)), bike.Legs.Select(l => (l.Leg, l.Abstained, l.Contribution)));
    }
}
