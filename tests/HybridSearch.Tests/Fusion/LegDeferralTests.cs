using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

/// <summary>Deferral (<see cref="FusionOptions.Deferral"/>): a term-matching leg whose query is as long as the short
/// records it searches gives its weight to its kNN rival, in full when the rival is sure; computed here by hand.</summary>
public class LegDeferralTests
{
    private static readonly FusionOptions Plain = new() { Method = FusionMethod.BoundedScore, Deferral = true };

    private static LegHit H(string key, float score) => new(key, score);

    /// <summary>BM25 over the query text: ceiling 10, so b is 0.8, a 0.6.</summary>
    private static RankedLeg Bm25(bool sentence = true, string content = "record text", float weight = 1) =>
        new("lexical", [H("b", 8), H("a", 6)], weight, theoreticalMinScore: 0, theoreticalMaxScore: 10,
            queryInput: "text", searchedContent: content, matchesTerms: true, queryAsLongAsRecords: sentence);

    /// <summary>kNN over the same text: floor 0.5, ceiling 1; a's evidence is <paramref name="top"/>, c's 0.1 below it.</summary>
    private static RankedLeg Knn(double top = 0.5) =>
        new("semantic", [H("a", (float)(0.5 + top / 2)), H("c", (float)(0.5 + (top - 0.1) / 2))], theoreticalMinScore: 0.5f, theoreticalMaxScore: 1,
            queryInput: "text", searchedContent: "record text");

    [Fact]
    public void ASureRivalTakesTheWholeWeightAndItsOrderDecides()
    {
        var fused = ScoreFusion.Fuse([Bm25(), Knn(0.5)], Plain);

        // semantic evidence: a 0.5, c 0.4 (≥ SureRivalEvidence 0.25, so it takes all of lexical's weight: 1 + 1 = 2);
        // lexical's weight is 0. a = 2 · (0.5 + 1e-6); c = 2 · (0.4 + 0.5e-6); b = 0 (reported, counts nothing).
        Assert.Equal(["a", "c", "b"], fused.Select(h => h.Key));
        Assert.Equal(2 * (0.5 + 1e-6), fused[0].Score, 1e-6);
        Assert.Equal(2 * (0.4 + 0.5e-6), fused[1].Score, 1e-6);
        Assert.Equal(0, fused[2].Score, 12);
        Assert.Equal(0, fused[2].Legs["lexical"].Weight);
        Assert.Equal(2, fused[0].Legs["semantic"].Weight, 12);

        var signals = ScoreFusion.Signals([Bm25(), Knn(0.5)], Plain);
        Assert.Equal("semantic", signals[0].DeferredTo);
        Assert.Equal(0, signals[0].Weight);
        Assert.Null(signals[1].DeferredTo);
        Assert.Equal(2, signals[1].Weight, 12);
    }

    [Fact]
    public void AnUnsureRivalTakesTheShareItsConfidenceReaches()
    {
        var signals = ScoreFusion.Signals([Bm25(), Knn(0.1)], Plain);

        // Best semantic evidence 0.1: it takes 0.1 / 0.25 = 0.4 of lexical's weight.
        Assert.Equal(1.4, signals[1].Weight, 6);
        Assert.Equal(0, signals[0].Weight);
    }

    [Fact]
    public void WithoutTheFlagOrWithoutDeferralOrWithoutARivalBothLegsCount()
    {
        // b = 0.8 (lexical), a = 0.6 + 0.5 = 1.1, c = 0.4 under plain bounded scores.
        foreach (var (legs, options) in new (RankedLeg[], FusionOptions)[]
        {
            ([Bm25(sentence: false), Knn()], Plain),
            ([Bm25(), Knn()], Plain with { Deferral = false }),
        })
        {
            var fused = ScoreFusion.Fuse(legs, options);
            Assert.Equal(["a", "b", "c"], fused.Select(h => h.Key));
            Assert.Equal(1.1, fused[0].Score, 5);
            Assert.All(ScoreFusion.Signals(legs, options), s => Assert.Null(s.DeferredTo));
        }

        // A rival of other content (transcripts) is no rival: nothing to defer to.
        var alone = ScoreFusion.Signals([Bm25(content: "transcripts"), Knn()], Plain);
        Assert.Equal(1, alone[0].Weight);
        Assert.Null(alone[0].DeferredTo);
    }

    [Fact]
    public void ARivalWithNothingAboveItsFloorTakesNothing()
    {
        var below = new RankedLeg("semantic", [H("a", 0.4f)], theoreticalMinScore: 0.5f, theoreticalMaxScore: 1, queryInput: "text", searchedContent: "record text");
        var signals = ScoreFusion.Signals([Bm25(), below], Plain);

        Assert.Equal(1, signals[0].Weight);
        Assert.Null(signals[0].DeferredTo);
    }

    [Fact]
    public void TheDefaultDefers()
    {
        Assert.True(FusionOptions.Default.Deferral);
        Assert.Equal("semantic", ScoreFusion.Signals([Bm25(), Knn()], FusionOptions.Default)[0].DeferredTo);
    }
}
