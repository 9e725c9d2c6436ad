using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Tests.Embedding;
using SixLabors.ImageSharp;

namespace HybridSearch.Tests.Querying;

public class HybridSearcherTests(HybridSearchFixture fixture) : IClassFixture<HybridSearchFixture>
{
    private readonly HybridSearcher _searcher = new(fixture.Index, fixture.TextEmbedder, fixture.ImageEmbedder);

    private static HybridSearchOptions Only(SearchLeg leg) => HybridSearchOptions.Default.WithLegs(leg);

    [Fact]
    public async Task LexicalLegAloneRanksTheMatchingRecordFirstWithAHighlightedSnippet()
    {
        var results = await _searcher.SearchAsync(HybridQuery.ForText("puncture tyre"), Only(SearchLeg.Lexical));

        var top = results.Hits[0];
        Assert.Equal("bike", top.RecordId);
        Assert.Equal([SearchLeg.Lexical], results.Timings.Select(t => t.Leg));
        Assert.Equal(SearchLeg.Lexical, Assert.Single(top.Legs).Leg);
        Assert.Contains("<b>puncture</b>", top.Snippet);
        Assert.Equal("Fixing a flat bicycle tyre", top.Title);
        Assert.Equal("red", top.Metadata["colour"].KeywordValue);
        Assert.Equal(25, top.Metadata["price"].NumberValue);
        Assert.Equal(HybridSearchFixture.Epoch.AddDays(400), top.Metadata["listed"].DateValue);
    }

    [Fact]
    public async Task LexicalLegMatchesImageCaptionsAndReportsTheImage()
    {
        var results = await _searcher.SearchAsync(HybridQuery.ForText("crimson"), Only(SearchLeg.Lexical));

        var hit = Assert.Single(results.Hits);
        Assert.Equal("gallery", hit.RecordId);
        Assert.Equal(DocumentKind.Image, hit.Legs[0].MatchedKind);
        Assert.Equal("gallery#image/1", hit.Legs[0].MatchedDocumentId);
        Assert.Equal(fixture.ImagePath("gallery-1.png"), hit.BestMedia?.Path);
        Assert.Contains("<b>crimson</b>", hit.Snippet);
    }

    [Fact]
    public async Task SemanticLegAloneFindsAParaphrase()
    {
        // No word in common with the record: only the embedding can find it.
        var results = await _searcher.SearchAsync(HybridQuery.ForText("repairing a cycle wheel that lost air"), Only(SearchLeg.SemanticText));

        Assert.Equal("bike", results.Hits[0].RecordId);
        Assert.Equal(SearchLeg.SemanticText, Assert.Single(results.Hits[0].Legs).Leg);
        Assert.Equal(DocumentKind.Chunk, results.Hits[0].Legs[0].MatchedKind);
        Assert.True(results.Timings.Single().Embedding > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("puncture tyre", 2)]
    [InlineData("how do I repair the puncture in the inner tube of my bicycle tyre with a small rubber patch and glue from the old kit before riding to work tomorrow morning in the rain", 17)]
    public async Task BoundedLexicalScoresAreTheShareOfAFullMatchWhichGrowsAsTheSquareRootForLongQueries(string text, int distinctTerms)
    {
        Assert.Equal(distinctTerms, Analyze(IndexFieldNames.Content, text).Distinct().Count());
        var results = await _searcher.SearchAsync(HybridQuery.ForText(text), Only(SearchLeg.Lexical));

        // Full match per field: Σ idf over the query's distinct analysed terms, times √(12 / n) beyond 12 terms; the
        // largest field's value counts. idf as Lucene's BM25: ln(1 + (docs − df + 0.5) / (df + 0.5)) over documents with the field.
        using var lease = fixture.Index.AcquireSearcher();
        var reader = lease.Searcher.IndexReader;
        var ceiling = 0.0;
        foreach (var field in new[] { IndexFieldNames.Content, IndexFieldNames.Caption })
        {
            var terms = Analyze(field, text).Distinct().ToList();
            var docs = lease.Searcher.CollectionStatistics(field).DocCount;
            var sum = terms.Sum(term =>
            {
                var df = reader.DocFreq(new Lucene.Net.Index.Term(field, term));
                return Math.Log(1 + ((docs - df + 0.5) / (df + 0.5)));
            });
            ceiling = Math.Max(ceiling, sum * Math.Min(1, Math.Sqrt(12.0 / terms.Count)));
        }

        var top = results.Hits[0].Legs.Single();
        Assert.Equal("bike", results.Hits[0].RecordId);
        Assert.Equal(Math.Min(1, top.RawScore / ceiling), top.NormalizedScore, 1e-5);
        Assert.InRange(top.NormalizedScore, 0.05, 1.0 + 1e-5);
    }

    private List<string> Analyze(string field, string text)
    {
        var terms = new List<string>();
        using var stream = fixture.Index.Analyzer.GetTokenStream(field, text);
        var attribute = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(attribute.ToString());
        }

        stream.End();
        return terms;
    }

    [Fact]
    public async Task AnImageOfAnotherRecordIsOutvotedByTextLegsThatAgree()
    {
        // The words describe the bike; the image is the Roman record's banner, an exact match of another record.
        var query = HybridQuery.ForText("fixing a flat bicycle tyre with a puncture")
            .WithImage(QueryImage.FromFile(fixture.ImagePath("rome.png")));

        var corroborated = await _searcher.SearchAsync(query);
        var plain = await _searcher.SearchAsync(query, HybridSearchOptions.Default with { Fusion = FusionOptions.Default with { Corroboration = false } });

        Assert.Equal("bike", corroborated.Hits[0].RecordId);
        var rome = corroborated.Hits.Single(hit => hit.RecordId == "rome");
        var visual = rome.Legs.Single(leg => leg.Leg == SearchLeg.Visual);
        Assert.InRange(visual.Weight, 0.0, 0.5);
        Assert.Equal(visual.Weight * visual.NormalizedScore, visual.Contribution, 1e-12);
        Assert.Equal(1.0, plain.Hits.Single(hit => hit.RecordId == "rome").Legs.Single(leg => leg.Leg == SearchLeg.Visual).Weight);
        Assert.True(rome.Score < plain.Hits.Single(hit => hit.RecordId == "rome").Score);
    }

    [Fact]
    public async Task AnImageThatAgreesWithTheTextKeepsItsWeight()
    {
        var query = HybridQuery.ForText("fixing a flat bicycle tyre with a puncture")
            .WithImage(QueryImage.FromFile(fixture.ImagePath("bike.png")));

        var results = await _searcher.SearchAsync(query);

        var bike = results.Hits[0];
        Assert.Equal("bike", bike.RecordId);
        Assert.All(bike.Legs, leg => Assert.Equal(1.0, leg.Weight));
    }

    [Fact]
    public async Task VisualLegAloneFindsTheSameImage()
    {
        var results = await _searcher.SearchAsync(HybridQuery.ForImage(QueryImage.FromFile(fixture.ImagePath("rome.png"))), Only(SearchLeg.Visual));

        var top = results.Hits[0];
        Assert.Equal("rome", top.RecordId);
        Assert.Equal(1f, top.Legs[0].RawScore, 3);
        Assert.Equal(new MatchedMedia(DocumentKind.Image, fixture.ImagePath("rome.png"), null, null, "striped banner", SearchLeg.Visual), top.BestMedia);
    }

    [Fact]
    public async Task QueryImageMayBeGivenAsAStream()
    {
        using var image = TestImages.BlueStripes();
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        png.Position = 0;

        var results = await _searcher.SearchAsync(HybridQuery.ForImage(QueryImage.FromStream(png, "upload.png")), Only(SearchLeg.Visual));

        Assert.Equal("rome", results.Hits[0].RecordId);
    }

    [Fact]
    public async Task TranscriptLegAloneReportsTheSegmentWithItsTimes()
    {
        var results = await _searcher.SearchAsync(HybridQuery.ForText("black hole galaxy"), Only(SearchLeg.Transcript));

        var hit = Assert.Single(results.Hits);
        Assert.Equal("podcast", hit.RecordId);
        Assert.Equal(new MatchedMedia(DocumentKind.Segment, "audio/ep1.wav", 5_000, 12_000, "astronomers photographed the shadow of a black hole in a distant galaxy", SearchLeg.Transcript), hit.BestMedia);
        Assert.Contains("<b>galaxy</b>", hit.Snippet);
    }

    [Fact]
    public async Task ARecordWithThreeMatchingImagesAppearsOnceWithItsBestImage()
    {
        var results = await _searcher.SearchAsync(
            HybridQuery.ForImage(QueryImage.FromFile(fixture.ImagePath("gallery-2.png"))),
            Only(SearchLeg.Visual).WithPage(0, 50));

        Assert.Equal(results.Hits.Count, results.Hits.Select(h => h.RecordId).Distinct().Count());
        var gallery = results.Hits[0];
        Assert.Equal("gallery", gallery.RecordId);
        Assert.Equal("gallery#image/2", gallery.Legs[0].MatchedDocumentId);
        Assert.Equal(fixture.ImagePath("gallery-2.png"), gallery.BestMedia?.Path);
    }

    [Fact]
    public async Task SeveralQueryImagesCombineByMaxOrSum()
    {
        var query = HybridQuery.ForImage(QueryImage.FromFile(fixture.ImagePath("rome.png")))
            .WithImage(QueryImage.FromFile(fixture.ImagePath("bread.png")));

        var max = await _searcher.SearchAsync(query, Only(SearchLeg.Visual).WithPage(0, 50));
        var sum = await _searcher.SearchAsync(query, Only(SearchLeg.Visual).WithPage(0, 50) with { ImageCombination = MultiImageCombination.Sum });

        Assert.Equal(["bread", "rome"], max.Hits.Take(2).Select(h => h.RecordId).Order());
        Assert.Equal(1f, max.Hits[0].Legs[0].RawScore, 3);
        // Under Sum, each record's score adds its similarity to both probes, so it exceeds its Max score.
        var rome = sum.Hits.Single(h => h.RecordId == "rome").Legs[0].RawScore;
        Assert.True(rome > 1f, $"summed score {rome}");
    }

    [Fact]
    public async Task FilteredVisualQueryReturnsOnlyMatchingRecordsAndMinOfKAndMatching()
    {
        var query = HybridQuery.ForImage(QueryImage.FromFile(fixture.ImagePath("item-04.png")))
            .WithFilter(SearchFilter.None.WithKeyword("colour", "blue"));
        var blue = Enumerable.Range(0, 30).Where(i => HybridSearchFixture.ItemColour(i) == "blue").Select(i => $"item-{i:D2}").ToHashSet();

        var few = await _searcher.SearchAsync(query, Only(SearchLeg.Visual).WithPage(0, 5) with { CandidateWindow = 5 });
        var all = await _searcher.SearchAsync(query, Only(SearchLeg.Visual).WithPage(0, 50));

        Assert.Equal(5, few.Hits.Count);
        Assert.All(few.Hits, h => Assert.Contains(h.RecordId, blue));
        Assert.Equal("item-04", few.Hits[0].RecordId);
        Assert.Equal(blue.Order(), all.Hits.Select(h => h.RecordId).Order());
    }

    [Fact]
    public async Task KeywordFilterAppliesInsideTheLexicalLeg()
    {
        var results = await _searcher.SearchAsync(
            HybridQuery.ForText("catalogue widget").WithFilter(SearchFilter.None.WithKeyword("colour", "green", "red")),
            Only(SearchLeg.Lexical).WithPage(0, 50));

        Assert.Equal(20, results.Hits.Count);
        Assert.All(results.Hits, h => Assert.Contains(h.Metadata["colour"].KeywordValue, new[] { "green", "red" }));
    }

    [Fact]
    public async Task NumberRangeFilterAppliesInsideTheSemanticLeg()
    {
        var results = await _searcher.SearchAsync(
            HybridQuery.ForText("catalogue widget").WithFilter(SearchFilter.None.WithNumberRange("price", 10, 14.5)),
            Only(SearchLeg.SemanticText).WithPage(0, 50));

        Assert.Equal(["item-10", "item-11", "item-12", "item-13", "item-14"], results.Hits.Select(h => h.RecordId).Order());
    }

    [Fact]
    public async Task DateRangeFilterAppliesInsideEveryLeg()
    {
        var filter = SearchFilter.None.WithDateRange("listed", HybridSearchFixture.Epoch.AddDays(400), HybridSearchFixture.Epoch.AddDays(600));
        var query = HybridQuery.ForText("bread empire tyre catalogue").WithImage(QueryImage.FromFile(fixture.ImagePath("gallery-0.png"))).WithFilter(filter);

        var results = await _searcher.SearchAsync(query, HybridSearchOptions.Default.WithPage(0, 50));

        Assert.Equal(["bike", "bread", "rome"], results.Hits.Select(h => h.RecordId).Order());
        Assert.Equal(3, results.Timings.Single(t => t.Leg == SearchLeg.Visual).Candidates);
        Assert.Equal(3, results.Timings.Single(t => t.Leg == SearchLeg.SemanticText).Candidates);
    }

    [Fact]
    public async Task KindFilterRestrictsTheMatchingDocuments()
    {
        // "canvas" is in the gallery's text and captions; with kind = image only captions can match, and the
        // semantic leg (which searches chunks) finds nothing.
        var results = await _searcher.SearchAsync(
            HybridQuery.ForText("red canvas").WithFilter(SearchFilter.None.WithKinds(DocumentKind.Image)),
            HybridSearchOptions.Default.WithPage(0, 50));

        Assert.All(results.Hits, h => Assert.All(h.Legs, l => Assert.Equal(DocumentKind.Image, l.MatchedKind)));
        Assert.Equal(0, results.Timings.Single(t => t.Leg == SearchLeg.SemanticText).Candidates);
        Assert.Contains(results.Hits, h => h.RecordId == "gallery");
        Assert.Contains(results.Hits, h => h.RecordId == "bike"); // caption "a red bicycle frame"
    }

    [Fact]
    public async Task AFilterOfTheWrongKindIsAClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidHybridQueryException>(() => _searcher.SearchAsync(
            HybridQuery.ForText("widget").WithFilter(SearchFilter.None.WithNumberRange("colour", 1, 2))));

        Assert.Contains("'colour'", error.Message);
        Assert.Contains("keyword", error.Message);
    }

    [Theory]
    [InlineData(FusionMethod.ReciprocalRank)]
    [InlineData(FusionMethod.MinMax)]
    [InlineData(FusionMethod.ZScore)]
    [InlineData(FusionMethod.TheoreticalMinMax)]
    public async Task LegContributionsSumToTheFusedScoreAndBm25LegsAreExplained(FusionMethod method)
    {
        var results = await _searcher.SearchAsync(
            HybridQuery.ForText("bicycle tyre black hole").WithImage(QueryImage.FromFile(fixture.ImagePath("bike.png"))),
            HybridSearchOptions.Default.WithFusion(method).WithWeight(SearchLeg.Visual, 0.5f) with { Explain = true });

        Assert.NotEmpty(results.Hits);
        Assert.Equal(4, results.Timings.Count);
        foreach (var hit in results.Hits)
        {
            Assert.Equal(hit.Score, hit.Legs.Sum(l => l.Contribution), 9);
            foreach (var leg in hit.Legs)
            {
                // A BM25 leg that abstained on the record (no query word in it) has no rank and nothing to explain.
                Assert.True(leg.Abstained ? leg.Rank == 0 && leg.LuceneExplanation is null : leg.Rank >= 1);
                if (leg.Abstained)
                {
                    continue;
                }

                if (leg.Leg is SearchLeg.Lexical or SearchLeg.Transcript)
                {
                    Assert.NotNull(leg.LuceneExplanation);
                    Assert.Equal(leg.RawScore, leg.LuceneExplanation!.Value, 3);
                }
                else
                {
                    Assert.Null(leg.LuceneExplanation);
                }

                if (leg.Leg == SearchLeg.Visual)
                {
                    Assert.Equal(0.5 * leg.NormalizedScore, leg.Contribution, 9);
                }
            }
        }

        var bike = results.Hits[0];
        Assert.Equal("bike", bike.RecordId);
        Assert.Equal([SearchLeg.Lexical, SearchLeg.SemanticText, SearchLeg.Visual], bike.Legs.Select(l => l.Leg));
        Assert.Contains(results.Hits, h => h.RecordId == "podcast" && h.Legs.Any(l => l.Leg == SearchLeg.Transcript));
    }

    [Fact]
    public async Task PageTwoIsRanksElevenToTwentyOfTheSameFusedList()
    {
        var query = HybridQuery.ForText("catalogue widget boxes").WithImage(QueryImage.FromFile(fixture.ImagePath("item-07.png")));
        var options = HybridSearchOptions.Default with { CandidateWindow = 40 };

        var full = await _searcher.SearchAsync(query, options.WithPage(0, 40));
        var page1 = await _searcher.SearchAsync(query, options.WithPage(0, 10));
        var page2 = await _searcher.SearchAsync(query, options.WithPage(10, 10));

        Assert.True(full.Hits.Count >= 20);
        Assert.Equal(full.TotalFused, page2.TotalFused);
        Assert.Equal(Enumerable.Range(11, 10), page2.Hits.Select(h => h.Rank));
        Assert.Equal(full.Hits.Skip(10).Take(10).Select(h => (h.RecordId, h.Rank, h.Score)), page2.Hits.Select(h => (h.RecordId, h.Rank, h.Score)));
        Assert.Equal(full.Hits.Take(10).Select(h => (h.RecordId, h.Score)), page1.Hits.Select(h => (h.RecordId, h.Score)));
        Assert.Empty(page1.Hits.Select(h => h.RecordId).Intersect(page2.Hits.Select(h => h.RecordId)));
    }

    [Fact]
    public async Task TheWindowCoversThePageEvenWhenConfiguredSmaller()
    {
        var results = await _searcher.SearchAsync(
            HybridQuery.ForText("catalogue widget"),
            Only(SearchLeg.Lexical).WithPage(10, 10) with { CandidateWindow = 5 });

        Assert.Equal(20, results.Windows[SearchLeg.Lexical]);
        Assert.Equal(10, results.Hits.Count);
        Assert.Equal(11, results.Hits[0].Rank);
    }

    [Theory]
    [InlineData(FusionMethod.ReciprocalRank)]
    [InlineData(FusionMethod.MinMax)]
    [InlineData(FusionMethod.ZScore)]
    public async Task AZeroWeightLegIsReportedButDoesNotCount(FusionMethod method)
    {
        var query = HybridQuery.ForText("catalogue widget number 7");
        var lexicalOnly = await _searcher.SearchAsync(query, Only(SearchLeg.Lexical).WithFusion(method).WithPage(0, 20));
        var weighted = await _searcher.SearchAsync(query, HybridSearchOptions.Default.WithFusion(method).WithWeight(SearchLeg.SemanticText, 0).WithPage(0, 50));

        // Records the lexical leg found keep its order and scores; records only the semantic leg found score 0.
        var lexicalHits = weighted.Hits.Where(h => h.Legs.Any(l => l.Leg == SearchLeg.Lexical)).Take(20);
        Assert.Equal(lexicalOnly.Hits.Select(h => (h.RecordId, h.Score)), lexicalHits.Select(h => (h.RecordId, h.Score)));
        Assert.All(weighted.Hits.Where(h => h.Legs.All(l => l.Leg != SearchLeg.Lexical)), h => Assert.Equal(0, h.Score));
        var semantic = weighted.Hits.SelectMany(h => h.Legs).Where(l => l.Leg == SearchLeg.SemanticText).ToList();
        Assert.NotEmpty(semantic);
        Assert.All(semantic, l => Assert.Equal(0, l.Contribution));
    }

    [Fact]
    public async Task AHeavierWeightScalesTheLegsContribution()
    {
        var query = HybridQuery.ForText("catalogue widget number 7");
        var one = await _searcher.SearchAsync(query, HybridSearchOptions.Default);
        var three = await _searcher.SearchAsync(query, HybridSearchOptions.Default.WithWeight(SearchLeg.SemanticText, 3));

        var a = one.Hits.Single(h => h.RecordId == "item-07").Legs.Single(l => l.Leg == SearchLeg.SemanticText);
        var b = three.Hits.Single(h => h.RecordId == "item-07").Legs.Single(l => l.Leg == SearchLeg.SemanticText);
        Assert.Equal(3 * a.Contribution, b.Contribution, 9);
    }

    [Fact]
    public async Task MinScoreDropsWeakHitsBeforeFusion()
    {
        var all = await _searcher.SearchAsync(HybridQuery.ForText("bicycle"), Only(SearchLeg.SemanticText).WithPage(0, 50));
        var floor = all.Hits[2].Legs[0].RawScore;

        var strong = await _searcher.SearchAsync(HybridQuery.ForText("bicycle"), Only(SearchLeg.SemanticText).WithPage(0, 50).WithMinScore(SearchLeg.SemanticText, floor));

        Assert.True(strong.Hits.Count < all.Hits.Count);
        Assert.All(strong.Hits, h => Assert.True(h.Legs[0].RawScore >= floor));
    }

    [Fact]
    public async Task EmptyQueryAndImagesWithoutEmbedderAreClearErrors()
    {
        await Assert.ThrowsAsync<InvalidHybridQueryException>(() => _searcher.SearchAsync(HybridQuery.Empty));
        var textOnly = new HybridSearcher(fixture.Index, fixture.TextEmbedder);
        var error = await Assert.ThrowsAsync<InvalidHybridQueryException>(() => textOnly.SearchAsync(HybridQuery.ForImage(QueryImage.FromFile(fixture.ImagePath("bike.png")))));
        Assert.Contains("bike.png", error.Message);
    }

    [Fact]
    public async Task ACancelledSearchThrows()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _searcher.SearchAsync(HybridQuery.ForText("bread"), cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task QueryTextWithBrokenSyntaxIsSearchedAsWords()
    {
        var results = await _searcher.SearchAsync(HybridQuery.ForText("sourdough \"bread (oven"), Only(SearchLeg.Lexical));

        Assert.Equal("bread", results.Hits[0].RecordId);
    }

    [Fact]
    public async Task LuceneSyntaxIsHonoured()
    {
        var results = await _searcher.SearchAsync(HybridQuery.ForText("title:bread OR title:empire"), Only(SearchLeg.Lexical));

        Assert.Equal(["bread", "rome"], results.Hits.Select(h => h.RecordId).Order());
    }
}
