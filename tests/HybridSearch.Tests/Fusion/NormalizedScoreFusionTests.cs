using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

public class NormalizedScoreFusionTests
{
    private const double Tolerance = 1e-9;

    private static readonly FusionOptions MinMax = new() { Method = FusionMethod.MinMax };
    private static readonly FusionOptions ZScore = new() { Method = FusionMethod.ZScore };
    private static readonly FusionOptions Theoretical = new() { Method = FusionMethod.TheoreticalMinMax };
    private static readonly FusionOptions Bounded = new() { Method = FusionMethod.BoundedScore };

    private static LegHit H(string key, float score) => new(key, score);

    [Fact]
    public void MinMaxNormalisesEachLegOverItsWindowAndWeights()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 12), H("b", 8), H("c", 4)]),
            new RankedLeg("semantic", [H("b", 0.75f), H("d", 0.5f), H("a", 0.25f)], weight: 2),
        };

        var fused = ScoreFusion.Fuse(legs, MinMax);

        // lexical: min 4, max 12 → a (12−4)/8 = 1, b (8−4)/8 = 0.5, c 0
        // semantic: min 0.25, max 0.75 → b 0.5/0.5 = 1, d 0.25/0.5 = 0.5, a 0
        // a = 1 + 2·0 = 1;  b = 0.5 + 2·1 = 2.5;  c = 0;  d = 2·0.5 = 1 (ties a, broken by key)
        Assert.Equal(["b", "a", "d", "c"], fused.Select(hit => hit.Key));
        Assert.Equal([2.5, 1.0, 1.0, 0.0], fused.Select(hit => hit.Score));
        Assert.Equal(new LegContribution(1, 0.75f, 1.0, 2.0, 2.0), fused[0].Legs["semantic"]);
        Assert.Equal(new LegContribution(3, 0.25f, 0.0, 2.0, 0.0), fused[1].Legs["semantic"]);
    }

    [Fact]
    public void MinMaxGivesOneToEveryHitWhenScoresAreEqual()
    {
        var fused = ScoreFusion.Fuse(
            [new RankedLeg("lexical", [H("z", 5), H("m", 5)]), new RankedLeg("semantic", [H("q", 0.5f)])],
            MinMax);

        // lexical max == min → z = m = 1; semantic single hit → q = 1. All tie → order by key.
        Assert.Equal(["m", "q", "z"], fused.Select(hit => hit.Key));
        Assert.All(fused, hit => Assert.Equal(1.0, hit.Score));
        // m was second in its leg: the tie-break by key reorders the fused list, not the leg ranks.
        Assert.Equal(2, fused[0].Legs["lexical"].Rank);
        Assert.Equal(1, fused[2].Legs["lexical"].Rank);
    }

    [Fact]
    public void MinScoreShrinksTheNormalisationWindow()
    {
        var hits = new[] { H("a", 10), H("b", 6), H("c", 2) };

        var unfiltered = ScoreFusion.Fuse([new RankedLeg("lexical", hits)], MinMax);
        var filtered = ScoreFusion.Fuse([new RankedLeg("lexical", hits, minScore: 6)], MinMax);

        // Without floor: min 2, max 10 → b = (6−2)/8 = 0.5, c = 0.
        Assert.Equal(["a", "b", "c"], unfiltered.Select(hit => hit.Key));
        Assert.Equal(0.5, unfiltered[1].Score);
        // Floor 6 keeps a and b (6 >= 6): min 6, max 10 → b = 0; c is gone.
        Assert.Equal(["a", "b"], filtered.Select(hit => hit.Key));
        Assert.Equal([1.0, 0.0], filtered.Select(hit => hit.Score));
    }

    [Fact]
    public void ZScoreIsShiftedSoTheLowestHitAndAbsentLegsGiveZero()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 4), H("b", 2), H("c", 2), H("d", 0)]),
            new RankedLeg("transcript", [H("e", 3), H("a", 1)], weight: 0.5f),
        };

        var fused = ScoreFusion.Fuse(legs, ZScore);

        // lexical: mean 2, σ = sqrt((4+0+0+4)/4) = √2; n = (s − 0)/√2 → a 2√2, b √2, c √2, d 0
        // transcript: mean 2, σ = sqrt((1+1)/2) = 1; n = (s − 1)/1 → e 2, a 0
        // a = 2√2 + 0.5·0 ≈ 2.828;  b = c = √2 ≈ 1.414;  e = 0.5·2 = 1;  d = 0
        Assert.Equal(["a", "b", "c", "e", "d"], fused.Select(hit => hit.Key));
        Assert.Equal(2 * Math.Sqrt(2), fused[0].Score, Tolerance);
        Assert.Equal(Math.Sqrt(2), fused[1].Score, Tolerance);
        Assert.Equal(Math.Sqrt(2), fused[2].Score, Tolerance);
        Assert.Equal(1.0, fused[3].Score, Tolerance);
        Assert.Equal(0.0, fused[4].Score);
        Assert.Equal(new LegContribution(2, 1f, 0.0, 0.5, 0.0), fused[0].Legs["transcript"]);
    }

    [Fact]
    public void ZScoreWithOneHitGivesZero()
    {
        var fused = ScoreFusion.Fuse([new RankedLeg("visual", [H("a", 0.7f)])], ZScore);

        // σ = 0 → n = 0; the hit is still listed, with its rank and raw score.
        var only = Assert.Single(fused);
        Assert.Equal(0.0, only.Score);
        Assert.Equal(new LegContribution(1, 0.7f, 0.0, 1.0, 0.0), only.Legs["visual"]);
    }

    [Fact]
    public void TheoreticalMinMaxNormalisesFromTheLegsFloor()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 8), H("b", 6), H("c", 4)], weight: 0.5f, theoreticalMinScore: 0),
            new RankedLeg("semantic", [H("d", 0.5f), H("a", 0.125f)], weight: 0.5f, theoreticalMinScore: -1),
        };

        var fused = ScoreFusion.Fuse(legs, Theoretical);

        // lexical: m 0, max 8 → a 1, b 0.75, c 0.5
        // semantic: m −1, max 0.5 → d 1.5/1.5 = 1, a 1.125/1.5 = 0.75
        // a = 0.5·1 + 0.5·0.75 = 0.875;  d = 0.5·1 = 0.5;  b = 0.5·0.75 = 0.375;  c = 0.5·0.5 = 0.25
        Assert.Equal(["a", "d", "b", "c"], fused.Select(hit => hit.Key));
        Assert.Equal([0.875, 0.5, 0.375, 0.25], fused.Select(hit => hit.Score));
        Assert.Equal(0.75, fused[0].Legs["semantic"].NormalizedScore);
    }

    [Fact]
    public void TheoreticalMinMaxGivesZeroWhenEveryHitSitsAtTheFloor()
    {
        var fused = ScoreFusion.Fuse([new RankedLeg("lexical", [H("a", 0), H("b", 0)], theoreticalMinScore: 0)], Theoretical);

        Assert.Equal(["a", "b"], fused.Select(hit => hit.Key));
        Assert.All(fused, hit => Assert.Equal(0.0, hit.Score));
    }

    [Fact]
    public void FlatWeakLegOverturnsStrongLegUnderMinMaxButNotUnderTheoreticalMinMax()
    {
        // The strong leg separates a from b clearly; the weak leg barely prefers b (0.51 vs 0.50).
        RankedLeg[] Legs() =>
        [
            new RankedLeg("lexical", [H("a", 10), H("b", 8), H("c", 0)], theoreticalMinScore: 0),
            new RankedLeg("semantic", [H("b", 0.51f), H("a", 0.50f)], theoreticalMinScore: 0),
        ];

        var minMax = ScoreFusion.Fuse(Legs(), MinMax);
        var theoretical = ScoreFusion.Fuse(Legs(), Theoretical);

        // MinMax stretches the weak leg to [0, 1]: a = 1 + 0 = 1, b = 0.8 + 1 = 1.8 → b first.
        Assert.Equal("b", minMax[0].Key);
        Assert.Equal(1.8, minMax[0].Score, 1e-6);
        // TMM keeps it flat: a = 1 + 0.50/0.51 ≈ 1.980, b = 0.8 + 1 = 1.8 → a stays first.
        Assert.Equal("a", theoretical[0].Key);
        Assert.Equal(1 + (0.5 / (double)0.51f), theoretical[0].Score, 1e-6);
    }

    [Fact]
    public void BoundedScoreNormalisesByTheLegsOwnRangeAndClamps()
    {
        var legs = new[]
        {
            // BM25 leg: floor 0, ceiling 20 (the query's best attainable score).
            new RankedLeg("lexical", [H("a", 10), H("b", 5)], theoreticalMinScore: 0, theoreticalMaxScore: 20),
            // kNN leg scoring (1 + cos) / 2: floor 0.5 (cos 0), ceiling 1; c lies below the floor and is clamped to 0.
            new RankedLeg("semantic", [H("b", 0.9f), H("a", 0.6f), H("c", 0.45f)], weight: 2, theoreticalMinScore: 0.45f, theoreticalMaxScore: 1),
        };

        var fused = ScoreFusion.Fuse(legs, Bounded);

        // lexical: a 10/20 = 0.5, b 5/20 = 0.25
        // semantic (lo 0.45, hi 1): b (0.9 − 0.45)/0.55 = 0.818182, a (0.6 − 0.45)/0.55 = 0.272727, c 0
        // b = 0.25 + 2·0.818182 = 1.886364;  a = 0.5 + 2·0.272727 = 1.045455;  c = 0
        // (plus rank steps of at most 1e-6 per leg, which keep c — clamped to 0 — above absent records)
        Assert.Equal(["b", "a", "c"], fused.Select(hit => hit.Key));
        Assert.Equal(0.25 + 2 * ((0.9f - 0.45f) / (double)(1 - 0.45f)), fused[0].Score, 1e-5);
        Assert.Equal(0.5 + 2 * ((0.6f - 0.45f) / (double)(1 - 0.45f)), fused[1].Score, 1e-5);
        Assert.Equal(0.0, fused[2].Score, 1e-5);
        Assert.True(fused[2].Score > 0);
    }

    [Fact]
    public void BoundedScoreKeepsAWeakLegsBestHitSmallWhereMinMaxInflatesIt()
    {
        // The weak leg's best hit matched a fifth of what the query could match; min-max would call it 1.
        RankedLeg[] Legs() =>
        [
            new RankedLeg("lexical", [H("x", 2), H("y", 1.9f)], theoreticalMinScore: 0, theoreticalMaxScore: 10),
            new RankedLeg("semantic", [H("a", 0.85f), H("b", 0.80f), H("x", 0.55f)], theoreticalMinScore: 0.5f, theoreticalMaxScore: 1),
        ];

        // MinMax: x = 1 + 0 = 1, a = 1, b = (0.8 − 0.55)/0.3 ≈ 0.83, y = 0 → x and a tie at 1, x wins?  a < x by key.
        var minMax = ScoreFusion.Fuse(Legs(), MinMax);
        Assert.Equal(["a", "x"], minMax.Take(2).Select(hit => hit.Key));
        Assert.Equal(minMax[0].Score, minMax[1].Score, 1e-9);

        // Bounded: a = (0.85 − 0.5)/0.5 = 0.7, b = 0.6, x = 0.2 + 0.1 = 0.3, y = 0.19.
        var bounded = ScoreFusion.Fuse(Legs(), Bounded);
        Assert.Equal(["a", "b", "x", "y"], bounded.Select(hit => hit.Key));
        Assert.Equal(0.3, bounded[2].Score, 1e-5);
    }

    [Fact]
    public void BoundedScoreNeedsBothBounds()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ScoreFusion.Fuse([new RankedLeg("lexical", [H("a", 1)], theoreticalMinScore: 0)], Bounded));
        Assert.Contains("lexical", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RankedLeg("v", [H("a", 1)], theoreticalMinScore: 1, theoreticalMaxScore: 1));
    }
}
