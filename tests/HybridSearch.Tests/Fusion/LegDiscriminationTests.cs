using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

/// <summary>
/// <see cref="FusionOptions.Discrimination"/> with hand-computed values. Legs have bounds 0..1, so evidence is the raw
/// score; <see cref="FusionOptions.SignalDepth"/> is 2, so a leg's base is its second hit's evidence (rank steps of at
/// most 1e-6 are inside the tolerance).
/// </summary>
public class LegDiscriminationTests
{
    private const double Tolerance = 1e-5;

    private static readonly FusionOptions Narrowing = new() { Method = FusionMethod.BoundedScore, Discrimination = true, SignalDepth = 2 };

    private static LegHit H(string key, float score) => new(key, score);

    private static RankedLeg Leg(string name, string input, params LegHit[] hits) =>
        new(name, hits, 1, theoreticalMinScore: 0, theoreticalMaxScore: 1, queryInput: input, searchedContent: input == "image" ? "images" : "record text");

    /// <summary>A broad word (three records matched equally, one of them the image's best) next to an image.</summary>
    private static RankedLeg[] BroadWordAndImage() =>
    [
        Leg("lexical", "text", H("q", 0.5f), H("r", 0.5f), H("x", 0.5f)),
        Leg("visual", "image", H("x", 0.45f), H("p", 0.1f)),
    ];

    [Fact]
    public void ABroadWordNarrowsTheImageInsteadOfDrowningIt()
    {
        var fused = ScoreFusion.Fuse(BroadWordAndImage(), Narrowing);

        // lexical: e1 = 0.5, base b = e2 = 0.5. λ from visual: x 0.45/0.45 = 1, q and r absent: 0.
        //   q = r = 0.5 − min(0.5, 0.5)·(1 − 0) = 0;  x = 0.5 − 0.5·(1 − 1) = 0.5.
        // visual: e1 = 0.45, b = e2 = 0.1. λ from lexical: x 1, p absent 0.
        //   x = 0.45;  p = 0.1 − min(0.1, 0.1)·1 = 0.
        // q, r and p are left with their rank steps only (1e-6·(W − i + 1)/W): q 1e-6, r 2/3·1e-6, p 1/2·1e-6.
        Assert.Equal(["x", "q", "r", "p"], fused.Select(hit => hit.Key));
        Assert.Equal(0.95, fused[0].Score, Tolerance);
        Assert.Equal(0.0, fused[1].Score, Tolerance);
        Assert.Equal(0.0, fused[3].Score, Tolerance);
        Assert.Equal(0.5, fused[0].Legs["lexical"].Contribution, Tolerance);
        Assert.All(fused, hit => Assert.Equal(hit.Score, hit.Legs.Values.Sum(leg => leg.Contribution), 12));
    }

    /// <summary>
    /// Two flat rivals on the words (BM25 and an embedding over the same record text) agreeing on a generic record g,
    /// next to an image that shares none of their records.
    /// </summary>
    private static RankedLeg[] FlatRivalsAndImage(params LegHit[] semantic) =>
    [
        Leg("lexical", "text", H("g", 0.5f), H("a", 0.4f)),
        Leg("semantic", "text", semantic),
        Leg("visual", "image", H("x", 0.8f), H("y", 0.2f)),
    ];

    [Fact]
    public void TwoFlatRivalsAgreeingOnAGenericRecordDoNotOutvoteTheImage()
    {
        var legs = FlatRivalsAndImage(H("g", 0.5f), H("b", 0.45f));

        // Agreement lexical–semantic: min(0.5, 0.5) = 0.5 on g; visual agrees with neither: V = 0.
        // Flatness: lexical 0.4/0.5 = 0.8, semantic 0.45/0.5 = 0.9. Rival discount (1 − min(0.8, 0.9))^4 = 0.2^4 = 0.0016.
        // Visual multiplier: plain (0.02 + 0) / (0.02 + 0.5); discounted (0.02 + 0) / (0.02 + 0.0016 · 0.5).
        // Equal confidences (0.5, 0.5): the unsure-rival rule damps neither text leg.
        var discounted = ScoreFusion.Signals(legs, Narrowing with { Corroboration = true });
        var plain = ScoreFusion.Signals(legs, Narrowing with { Corroboration = true, Discrimination = false });

        Assert.Equal(0.02 / (0.02 + 0.0016 * 0.5), discounted[2].Corroboration, Tolerance);
        Assert.Equal(0.02 / 0.52, plain[2].Corroboration, Tolerance);
        Assert.Equal(1.0, discounted[0].Corroboration);
        Assert.Equal(1.0, discounted[1].Corroboration);
        Assert.Equal(discounted[2].Corroboration, discounted[2].Weight, 12);
    }

    [Fact]
    public void ARivalThatTellsItsRecordsApartKeepsTheirAgreementInFull()
    {
        // semantic holds one hit, fewer than k = 2: no base, flatness 0, so the discount is (1 − min(0.8, 0))^4 = 1.
        var legs = FlatRivalsAndImage(H("g", 0.5f));

        var signals = ScoreFusion.Signals(legs, Narrowing with { Corroboration = true });

        Assert.Equal(0.0, signals[1].Flatness);
        Assert.Equal(0.02 / 0.52, signals[2].Corroboration, Tolerance);
    }

    [Fact]
    public void LegsReadingDifferentContentAreNotDiscounted()
    {
        // The same flat legs, but the second reads transcripts: complementary evidence, so its agreement with the
        // record text counts in full even though both are flat.
        RankedLeg[] legs =
        [
            Leg("lexical", "text", H("g", 0.5f), H("a", 0.4f)),
            new("transcript", [H("g", 0.5f), H("b", 0.45f)], 1, theoreticalMinScore: 0, theoreticalMaxScore: 1, queryInput: "text", searchedContent: "transcripts"),
            Leg("visual", "image", H("x", 0.8f), H("y", 0.2f)),
        ];

        var signals = ScoreFusion.Signals(legs, Narrowing with { Corroboration = true });

        Assert.Equal(0.02 / 0.52, signals[2].Corroboration, Tolerance);
    }

    [Fact]
    public void WithoutDiscriminationTheBroadWordsTiesOutrankTheImagesSecond()
    {
        var fused = ScoreFusion.Fuse(BroadWordAndImage(), Narrowing with { Discrimination = false });

        // Plain bounded: x = 0.95, q = r = 0.5, p = 0.1.
        Assert.Equal(["x", "q", "r", "p"], fused.Select(hit => hit.Key));
        Assert.Equal(0.5, fused[1].Score, Tolerance);
    }

    [Fact]
    public void SignalsReportWhatTheWeightsCameFrom()
    {
        var signals = ScoreFusion.Signals(BroadWordAndImage(), Narrowing with { TieMargin = 0.1 });

        var lexical = signals[0];
        Assert.Equal("lexical", lexical.Leg);
        Assert.Equal(3, lexical.Window);
        Assert.Equal(0.5, lexical.Confidence, Tolerance);
        Assert.Equal(3, lexical.NearTies);
        Assert.Equal(0.0, lexical.TopGap, Tolerance);       // (0.5 − 0.5) / 0.5
        Assert.Equal(0.0, lexical.Nqc, Tolerance);          // σ(0.5, 0.5)
        Assert.Equal(0.5, lexical.Wig, Tolerance);          // mean(0.5, 0.5)
        Assert.Equal(0.5, lexical.Base, Tolerance);
        Assert.Equal(1.0, lexical.Flatness, Tolerance);
        Assert.Equal(1.0, lexical.Weight);

        var visual = signals[1];
        Assert.Equal(1, visual.NearTies);
        Assert.Equal((0.45 - 0.1) / 0.45, visual.TopGap, Tolerance);
        Assert.Equal(0.175, visual.Nqc, Tolerance);         // σ(0.45, 0.1) = 0.35 / 2
        Assert.Equal(0.275, visual.Wig, Tolerance);
        Assert.Equal(0.1, visual.Base, Tolerance);
    }

    [Fact]
    public void AQueryWithOneInputFusesAsWithoutDiscrimination()
    {
        RankedLeg[] legs =
        [
            Leg("lexical", "text", H("a", 0.9f), H("b", 0.5f), H("c", 0.5f)),
            Leg("semantic", "text", H("b", 0.7f), H("a", 0.6f), H("d", 0.2f)),
        ];

        var narrowed = ScoreFusion.Fuse(legs, Narrowing with { Corroboration = true });
        var plain = ScoreFusion.Fuse(legs, Narrowing with { Corroboration = true, Discrimination = false });

        Assert.Equal(plain.Select(hit => (hit.Key, hit.Score)), narrowed.Select(hit => (hit.Key, hit.Score)));
    }

    [Fact]
    public void ALegWithFewerHitsThanTheDepthHasNoBaseAndRanksInFull()
    {
        RankedLeg[] legs =
        [
            Leg("lexical", "text", H("q", 0.5f)),
            Leg("visual", "image", H("x", 0.45f), H("p", 0.1f)),
        ];

        var fused = ScoreFusion.Fuse(legs, Narrowing);

        // One hit is fewer than k = 2: base 0, nothing narrows; q keeps its 0.5.
        Assert.Equal(0.0, ScoreFusion.Signals(legs, Narrowing)[0].Base);
        Assert.Equal(0.5, fused.Single(hit => hit.Key == "q").Score, Tolerance);
    }

    [Fact]
    public void NarrowingStrengthZeroIsPlainBoundedFusion()
    {
        var fused = ScoreFusion.Fuse(BroadWordAndImage(), Narrowing with { NarrowingStrength = 0 });
        var plain = ScoreFusion.Fuse(BroadWordAndImage(), Narrowing with { Discrimination = false });

        Assert.Equal(plain.Select(hit => (hit.Key, hit.Score)), fused.Select(hit => (hit.Key, hit.Score)));
    }

    [Fact]
    public void OptionsRejectOutOfRangeKnobs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Narrowing with { NarrowingStrength = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Narrowing with { SignalDepth = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Narrowing with { TieMargin = 1 });
    }
}
