using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

public class FusionInputValidationTests
{
    private static LegHit H(string key, float score) => new(key, score);

    [Theory]
    [InlineData(-0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void BadWeightIsRejectedNamingTheLeg(float weight)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RankedLeg("visual", [H("a", 1)], weight));

        Assert.Equal("weight", error.ParamName);
        Assert.Contains("'visual'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNMinScoreIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RankedLeg("visual", [], minScore: float.NaN));

        Assert.Contains("'visual'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteScoreIsRejectedNamingLegAndKey(float score)
    {
        var error = Assert.Throws<ArgumentException>(() => new RankedLeg("semantic", [H("rec-1", 2), H("rec-2", score)]));

        Assert.Contains("'semantic'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'rec-2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HitsNotBestFirstAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new RankedLeg("lexical", [H("a", 1), H("b", 2)]));

        Assert.Contains("'lexical'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingKeyIsRejected(string? key)
    {
        var error = Assert.Throws<ArgumentException>(() => new RankedLeg("lexical", [H("a", 2), H(key!, 1)]));

        Assert.Contains("position 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankLegNameIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new RankedLeg(" ", []));
        Assert.Throws<ArgumentNullException>(() => new RankedLeg(null!, []));
        Assert.Throws<ArgumentNullException>(() => new RankedLeg("lexical", null!));
    }

    [Fact]
    public void ScoreBelowTheoreticalMinimumCountsAsTheFloor()
    {
        var legs = new[] { new RankedLeg("lexical", [H("a", 2f), H("b", -0.5f)], theoreticalMinScore: 0, theoreticalMaxScore: 4) };

        // TMM: a (2 − 0)/(2 − 0) = 1, b max(0, −0.25) = 0.  Bounded: a 2/4 = 0.5, b clamp(−0.125) = 0.
        Assert.Equal([1.0, 0.0], ScoreFusion.Fuse(legs, new FusionOptions { Method = FusionMethod.TheoreticalMinMax }).Select(h => h.Score));
        var bounded = ScoreFusion.Fuse(legs, new FusionOptions { Method = FusionMethod.BoundedScore });
        Assert.Equal(["a", "b"], bounded.Select(h => h.Key));
        Assert.Equal(0.5, bounded[0].Score, 1e-5);
        Assert.Equal(0.0, bounded[1].Score, 1e-5); // plus the rank step that keeps it in the leg's order
    }

    [Fact]
    public void LegCopiesItsHits()
    {
        var hits = new List<LegHit> { H("a", 2), H("b", 1) };
        var leg = new RankedLeg("lexical", hits);

        hits[0] = H("z", 9);

        Assert.Equal("a", leg.Hits[0].Key);
    }

    [Fact]
    public void DuplicateLegNamesAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ScoreFusion.Fuse(
            [new RankedLeg("lexical", [H("a", 1)]), new RankedLeg("lexical", [H("b", 1)])], FusionOptions.ReciprocalRank));

        Assert.Contains("'lexical'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheoreticalMinMaxNeedsEveryLegsFloor()
    {
        var legs = new[] { new RankedLeg("lexical", [H("a", 1)], theoreticalMinScore: 0), new RankedLeg("semantic", [H("a", 1)]) };

        var error = Assert.Throws<ArgumentException>(
            () => ScoreFusion.Fuse(legs, new FusionOptions { Method = FusionMethod.TheoreticalMinMax }));

        Assert.Contains("'semantic'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => ScoreFusion.Fuse(null!, FusionOptions.ReciprocalRank));
        Assert.Throws<ArgumentNullException>(() => ScoreFusion.Fuse([], null!));
        Assert.Throws<ArgumentNullException>(() => ScoreFusion.Fuse([null!], FusionOptions.ReciprocalRank));
    }
}
