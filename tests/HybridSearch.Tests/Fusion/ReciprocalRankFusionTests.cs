using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

public class ReciprocalRankFusionTests
{
    private const double Tolerance = 1e-12;

    private static readonly FusionOptions Rrf = FusionOptions.ReciprocalRank;

    private static LegHit H(string key, float score) => new(key, score);

    [Fact]
    public void NoLegsGivesEmptyList()
    {
        Assert.Empty(ScoreFusion.Fuse([], Rrf));
    }

    [Fact]
    public void AllLegsEmptyGivesEmptyList()
    {
        var fused = ScoreFusion.Fuse([new RankedLeg("lexical", []), new RankedLeg("semantic", [])], Rrf);

        Assert.Empty(fused);
    }

    [Fact]
    public void OneLegKeepsItsOrderWithScoresOneOverKPlusRank()
    {
        var fused = ScoreFusion.Fuse([new RankedLeg("lexical", [H("a", 3), H("b", 2), H("c", 1)])], Rrf);

        Assert.Equal(["a", "b", "c"], fused.Select(hit => hit.Key));
        Assert.Equal([1, 2, 3], fused.Select(hit => hit.Rank));
        // k = 60 by default: 1/(60+1), 1/(60+2), 1/(60+3).
        Assert.Equal(1.0 / 61, fused[0].Score, Tolerance);
        Assert.Equal(1.0 / 62, fused[1].Score, Tolerance);
        Assert.Equal(1.0 / 63, fused[2].Score, Tolerance);
        var lexical = fused[1].Legs["lexical"];
        Assert.Equal(new LegContribution(2, 2f, 1.0 / 62, 1.0, 1.0 / 62), lexical);
    }

    [Fact]
    public void TwoOverlappingLegsAddTheirReciprocalRanks()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 10), H("b", 8), H("c", 5)]),
            new RankedLeg("semantic", [H("b", 0.9f), H("d", 0.8f), H("a", 0.7f)]),
        };

        var fused = ScoreFusion.Fuse(legs, Rrf);

        // a = 1/61 + 1/63 = 0.0163934 + 0.0158730 = 0.0322664
        // b = 1/62 + 1/61 = 0.0161290 + 0.0163934 = 0.0325224
        // c = 1/63                                = 0.0158730
        // d = 1/62                                = 0.0161290
        Assert.Equal(["b", "a", "d", "c"], fused.Select(hit => hit.Key));
        Assert.Equal((1.0 / 62) + (1.0 / 61), fused[0].Score, Tolerance);
        Assert.Equal((1.0 / 61) + (1.0 / 63), fused[1].Score, Tolerance);
        Assert.Equal(1.0 / 62, fused[2].Score, Tolerance);
        Assert.Equal(1.0 / 63, fused[3].Score, Tolerance);

        var b = fused[0];
        Assert.Equal(["lexical", "semantic"], b.Legs.Keys);
        Assert.Equal(2, b.Legs["lexical"].Rank);
        Assert.Equal(8f, b.Legs["lexical"].RawScore);
        Assert.Equal(1, b.Legs["semantic"].Rank);
        Assert.Equal(0.9f, b.Legs["semantic"].RawScore);
        Assert.Equal(["lexical"], fused[3].Legs.Keys);
    }

    [Fact]
    public void WeightsMultiplyEachLegsReciprocalRank()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 2), H("b", 1)], weight: 1),
            new RankedLeg("semantic", [H("b", 0.5f), H("c", 0.25f)], weight: 3),
        };

        // k = 0 keeps the arithmetic exact: score = Σ w / rank.
        var fused = ScoreFusion.Fuse(legs, new FusionOptions { RrfK = 0 });

        // a = 1/1 = 1;  b = 1/2 + 3/1 = 3.5;  c = 3/2 = 1.5
        Assert.Equal(["b", "c", "a"], fused.Select(hit => hit.Key));
        Assert.Equal([3.5, 1.5, 1.0], fused.Select(hit => hit.Score));
        Assert.Equal(0.5, fused[0].Legs["lexical"].Contribution);
        Assert.Equal(3.0, fused[0].Legs["semantic"].Contribution);
        Assert.Equal(1.0, fused[0].Legs["semantic"].NormalizedScore);
    }

    [Fact]
    public void ZeroWeightLegIsReportedButContributesNothing()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 2), H("b", 1)]),
            new RankedLeg("visual", [H("b", 0.9f), H("c", 0.8f)], weight: 0),
        };

        var fused = ScoreFusion.Fuse(legs, Rrf);

        // a = 1/61;  b = 1/62 + 0·(1/61);  c = 0·(1/62) = 0
        Assert.Equal(["a", "b", "c"], fused.Select(hit => hit.Key));
        Assert.Equal(1.0 / 62, fused[1].Score, Tolerance);
        Assert.Equal(0.0, fused[2].Score);
        Assert.Equal(new LegContribution(1, 0.9f, 1.0 / 61, 0.0, 0.0), fused[1].Legs["visual"]);
        Assert.Equal(new LegContribution(2, 0.8f, 1.0 / 62, 0.0, 0.0), fused[2].Legs["visual"]);
    }

    [Fact]
    public void DuplicateKeyKeepsFirstOccurrenceAndRanksCloseUp()
    {
        var fused = ScoreFusion.Fuse(
            [new RankedLeg("transcript", [H("a", 3), H("b", 2), H("a", 1.5f), H("c", 1)])],
            new FusionOptions { RrfK = 0 });

        // Window a(3), b(2), c(1): the second "a" is dropped, so c has rank 3, not 4 → 1/3.
        Assert.Equal(["a", "b", "c"], fused.Select(hit => hit.Key));
        Assert.Equal(new LegContribution(1, 3f, 1.0, 1.0, 1.0), fused[0].Legs["transcript"]);
        Assert.Equal(new LegContribution(3, 1f, 1.0 / 3, 1.0, 1.0 / 3), fused[2].Legs["transcript"]);
    }

    [Fact]
    public void MinScoreDropsHitsBeforeFusion()
    {
        var legs = new[]
        {
            new RankedLeg("semantic", [H("a", 0.9f), H("b", 0.5f), H("c", 0.25f)], minScore: 0.5f),
            new RankedLeg("lexical", [H("d", 4), H("b", 3)]),
        };

        var fused = ScoreFusion.Fuse(legs, new FusionOptions { RrfK = 0 });

        // semantic window a(1), b(2) — 0.5 is kept (>= MinScore), c is dropped and appears nowhere.
        // a = 1/1 = 1;  b = 1/2 + 1/2 = 1;  d = 1/1 = 1 → three-way tie, broken by key.
        Assert.Equal(["a", "b", "d"], fused.Select(hit => hit.Key));
        Assert.All(fused, hit => Assert.Equal(1.0, hit.Score));
    }

    [Fact]
    public void MinScoreThatDropsEverythingGivesEmptyList()
    {
        var fused = ScoreFusion.Fuse([new RankedLeg("semantic", [H("a", 0.3f)], minScore: 0.31f)], Rrf);

        Assert.Empty(fused);
    }

    [Fact]
    public void TiesAreBrokenByKeyInOrdinalOrder()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("b", 2), H("a", 1), H("B", 0.5f)]),
            new RankedLeg("semantic", [H("a", 2), H("b", 1)]),
        };

        var fused = ScoreFusion.Fuse(legs, Rrf);

        // a = b = 1/61 + 1/62 → "a" < "b"; B = 1/63 alone.
        Assert.Equal(["a", "b", "B"], fused.Select(hit => hit.Key));
        Assert.Equal(fused[0].Score, fused[1].Score);

        // Ordinal, not culture: "B" (0x42) sorts before "a" (0x61) when they tie.
        var tied = ScoreFusion.Fuse([new RankedLeg("x", [H("a", 1)]), new RankedLeg("y", [H("B", 1)])], Rrf);
        Assert.Equal(["B", "a"], tied.Select(hit => hit.Key));
    }

    [Fact]
    public void ContributionsSumToFusedScore()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 9), H("b", 7), H("c", 1)], weight: 0.7f),
            new RankedLeg("semantic", [H("c", 0.9f), H("a", 0.4f)], weight: 0.3f),
            new RankedLeg("visual", [H("a", 0.8f), H("d", 0.1f)], weight: 1.5f),
        };

        foreach (var method in Enum.GetValues<FusionMethod>())
        {
            var fused = ScoreFusion.Fuse(
                method is FusionMethod.TheoreticalMinMax or FusionMethod.BoundedScore
                    ? legs.Select(leg => new RankedLeg(leg.Name, leg.Hits, leg.Weight, theoreticalMinScore: 0, theoreticalMaxScore: 20)).ToArray()
                    : legs,
                new FusionOptions { Method = method });

            Assert.All(fused, hit => Assert.Equal(hit.Score, hit.Legs.Values.Sum(leg => leg.Contribution), Tolerance));
        }
    }

    [Fact]
    public void FusingTwiceGivesTheSameList()
    {
        var legs = new[]
        {
            new RankedLeg("lexical", [H("a", 3), H("b", 2), H("c", 1)]),
            new RankedLeg("semantic", [H("c", 3), H("b", 2), H("a", 1)]),
        };

        var first = ScoreFusion.Fuse(legs, Rrf);
        var second = ScoreFusion.Fuse(legs, Rrf);

        Assert.Equal(first.Select(hit => (hit.Key, hit.Rank, hit.Score)), second.Select(hit => (hit.Key, hit.Rank, hit.Score)));
    }
}
