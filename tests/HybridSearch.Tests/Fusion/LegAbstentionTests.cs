using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

/// <summary>"BM25 abstains" (<see cref="FusionOptions.Abstention"/>): a term-matching leg credits the records its rival
/// holds above the rival's floor, and it did not match, its weakest match's evidence; computed here by hand.</summary>
public class LegAbstentionTests
{
    private static readonly FusionOptions Plain = new() { Method = FusionMethod.BoundedScore, Abstention = true };

    private static LegHit H(string key, float score) => new(key, score);

    /// <summary>BM25 over the query text: ceiling 10, so a is 0.6, b 0.2 (its weakest match).</summary>
    private static RankedLeg Bm25(float weight = 1, string input = "text", bool matchesTerms = true) =>
        new("lexical", [H("a", 6), H("b", 2)], weight, theoreticalMinScore: 0, theoreticalMaxScore: 10,
            queryInput: input, searchedContent: "record text", matchesTerms: matchesTerms);

    /// <summary>kNN over the same text: floor 0.5, ceiling 1; p 0.8, a 0.7, q 0.6 above the floor, r at it, s below.</summary>
    private static RankedLeg Knn(float weight = 1, string content = "record text") =>
        new("semantic", [H("p", 0.9f), H("a", 0.85f), H("q", 0.8f), H("r", 0.5f), H("s", 0.45f)], weight, theoreticalMinScore: 0.5f, theoreticalMaxScore: 1,
            queryInput: "text", searchedContent: content);

    [Fact]
    public void RecordsTheRivalHoldsAboveItsFloorGetTheWeakestMatchInsteadOfZero()
    {
        var fused = ScoreFusion.Fuse([Bm25(), Knn()], Plain);

        // semantic evidence (s − 0.5) / 0.5: p 0.8, a 0.7, q 0.6, r 0, s 0 (clamped); rank steps 1e-6 · (5 − i) / 5.
        // lexical: a 0.6, b 0.2 (+ 1e-6 · (2 − i) / 2); abstains on p and q (above the floor, unmatched): 0.2 each,
        // not on r or s (at or below the floor). a = 0.6 + 1e-6 + 0.7 + 0.8e-6; p = 0.2 + 0.8 + 1e-6; q = 0.2 + 0.6 + 0.6e-6;
        // b = 0.2 + 0.5e-6; r = 0.4e-6; s = 0.2e-6.
        Assert.Equal(["a", "p", "q", "b", "r", "s"], fused.Select(h => h.Key));
        Assert.Equal(0.6 + 1e-6 + 0.7 + 0.8e-6, fused[0].Score, 1e-6);
        Assert.Equal(0.2 + 0.8 + 1e-6, fused[1].Score, 1e-6);
        Assert.Equal(0.2 + 0.6 + 0.6e-6, fused[2].Score, 1e-6);
        Assert.Equal(0.2 + 0.5e-6, fused[3].Score, 1e-6);

        var p = fused[1].Legs["lexical"];
        Assert.True(p.Abstained);
        Assert.Equal(0, p.Rank);
        Assert.Equal(2f, p.RawScore);
        Assert.Equal(0.2, p.NormalizedScore, 1e-6);
        Assert.Equal(0.2, p.Contribution, 1e-6);
        Assert.Equal(["lexical", "semantic"], fused[1].Legs.Keys);
        Assert.False(fused[0].Legs["lexical"].Abstained);
        Assert.Equal(1, fused[0].Legs["lexical"].Rank);
        Assert.False(fused[4].Legs.ContainsKey("lexical"));
        Assert.False(fused[5].Legs.ContainsKey("lexical"));
        foreach (var hit in fused)
        {
            Assert.Equal(hit.Score, hit.Legs.Values.Sum(l => l.Contribution), 12);
        }
    }

    [Fact]
    public void WithoutAbstentionTheUnmatchedRecordsGetNothing()
    {
        var fused = ScoreFusion.Fuse([Bm25(), Knn()], Plain with { Abstention = false });

        // p = 0.8, q = 0.6 from the semantic leg only; a = 1.3; b = 0.2.
        Assert.Equal(["a", "p", "q", "b", "r", "s"], fused.Select(h => h.Key));
        Assert.Equal(0.8 + 1e-6, fused[1].Score, 1e-6);
        Assert.False(fused[1].Legs.ContainsKey("lexical"));
        Assert.DoesNotContain(fused, h => h.Legs.Values.Any(l => l.Abstained));
    }

    [Fact]
    public void TheCreditNeverLiftsAnUnmatchedRecordAboveAMatchedOneOfTheSameRivalScore()
    {
        // b is matched (weakest, 0.2) and q is not; give both the same semantic score: b must still come first.
        var knn = new RankedLeg("semantic", [H("b", 0.8f), H("q", 0.8f)], theoreticalMinScore: 0.5f, theoreticalMaxScore: 1,
            queryInput: "text", searchedContent: "record text");
        var fused = ScoreFusion.Fuse([Bm25(), knn], Plain);

        var b = fused.Single(h => h.Key == "b");
        var q = fused.Single(h => h.Key == "q");
        Assert.True(b.Score > q.Score);
        Assert.Equal(b.Legs["lexical"].Contribution, q.Legs["lexical"].Contribution, 1e-5);
    }

    [Fact]
    public void OnlyATermMatchingLegAbstainsAndOnlyOnItsRivalsRecords()
    {
        // Not term-matching: no abstention.
        Assert.DoesNotContain(ScoreFusion.Fuse([Bm25(matchesTerms: false), Knn()], Plain), h => h.Legs.Values.Any(l => l.Abstained));

        // The kNN leg reads other content (images): not a rival, so the lexical leg does not abstain on its records.
        Assert.DoesNotContain(ScoreFusion.Fuse([Bm25(), Knn(content: "images")], Plain), h => h.Legs.Values.Any(l => l.Abstained));

        // The lexical leg answers another input: not a rival either.
        Assert.DoesNotContain(ScoreFusion.Fuse([Bm25(input: "image"), Knn()], Plain), h => h.Legs.Values.Any(l => l.Abstained));

        // A rival of weight 0 holds nothing that counts; a lexical leg of weight 0 abstains on nothing.
        Assert.DoesNotContain(ScoreFusion.Fuse([Bm25(), Knn(weight: 0)], Plain), h => h.Legs.Values.Any(l => l.Abstained));
        Assert.DoesNotContain(ScoreFusion.Fuse([Bm25(weight: 0), Knn()], Plain), h => h.Legs.Values.Any(l => l.Abstained));

        // A lexical leg that matched nothing has no weakest match to credit.
        var empty = new RankedLeg("lexical", [], theoreticalMinScore: 0, theoreticalMaxScore: 10, queryInput: "text", searchedContent: "record text", matchesTerms: true);
        Assert.DoesNotContain(ScoreFusion.Fuse([empty, Knn()], Plain), h => h.Legs.Values.Any(l => l.Abstained));

        // Other methods ignore the setting.
        Assert.DoesNotContain(ScoreFusion.Fuse([Bm25(), Knn()], FusionOptions.ReciprocalRank with { Abstention = true }), h => h.Legs.Values.Any(l => l.Abstained));
    }

    [Fact]
    public void AbstainedRecordsTakeNoPartInTheLegsSignalsAndAreNarrowedLikeItsMatches()
    {
        // The default: corroboration and narrowing on. An image leg holds q and x; the lexical leg has a base (10 hits).
        var lexical = new RankedLeg("lexical", Enumerable.Range(0, 10).Select(i => H($"m{i}", 5 - (0.1f * i))).ToList(),
            theoreticalMinScore: 0, theoreticalMaxScore: 10, queryInput: "text", searchedContent: "record text", matchesTerms: true);
        var image = new RankedLeg("visual", [H("q", 0.9f), H("x", 0.7f)], theoreticalMinScore: 0.5f, theoreticalMaxScore: 1,
            queryInput: "image", searchedContent: "images");
        var legs = new[] { lexical, Knn(), image };

        var withAbstention = ScoreFusion.Signals(legs, FusionOptions.Default);
        var without = ScoreFusion.Signals(legs, FusionOptions.Default with { Abstention = false });
        Assert.Equal(without, withAbstention);

        var fused = ScoreFusion.Fuse(legs, FusionOptions.Default);
        var signal = withAbstention[0];

        // Weakest match m9: 4.1 / 10 = 0.41 = the base (e_10). λ(q) = 0.8 / 0.8 = 1 (the image's best): the credit counts
        // in full; λ(p) = 0 (the image lacks p): the base part, all of the credit, is narrowed away.
        Assert.Equal(0.41, signal.Base, 1e-6);
        var q = fused.Single(h => h.Key == "q").Legs["lexical"];
        var p = fused.Single(h => h.Key == "p").Legs["lexical"];
        Assert.True(q.Abstained && p.Abstained);
        Assert.Equal(0.41, q.NormalizedScore, 1e-6);
        Assert.Equal(0.0, p.NormalizedScore, 1e-6);
        Assert.Equal(signal.Weight * 0.41, q.Contribution, 1e-6);
    }
}
