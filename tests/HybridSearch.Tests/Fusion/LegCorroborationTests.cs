using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

/// <summary>
/// <see cref="FusionOptions.Corroboration"/> with hand-computed multipliers. Every leg here has bounds 0..1, so a
/// hit's bounded value is its raw score (plus a rank step of at most 1e-6, hence the tolerance).
/// </summary>
public class LegCorroborationTests
{
    private const double Tolerance = 1e-5;
    private const double T = 0.02; // LegCorroboration.Tolerance

    private static readonly FusionOptions Corroborated = new() { Method = FusionMethod.BoundedScore, Corroboration = true };

    private static LegHit H(string key, float score) => new(key, score);

    private static RankedLeg Leg(string name, string? input, string? content, float weight, params LegHit[] hits) =>
        new(name, hits, weight, theoreticalMinScore: 0, theoreticalMaxScore: 1, queryInput: input, searchedContent: content);

    private static RankedLeg[] TextLegsAndAContradictingImage(string? imageInput = "image", float lexicalWeight = 1) =>
    [
        Leg("lexical", "text", "record text", lexicalWeight, H("a", 0.5f), H("b", 0.2f)),
        Leg("semantic", "text", "record text", 1, H("a", 0.4f), H("c", 0.1f)),
        // The image's own record x is the visual leg's exact match, and nothing the text legs found.
        Leg("visual", imageInput, "images", 1, H("x", 1f), H("y", 0.3f)),
    ];

    [Fact]
    public void AnImageThatContradictsAgreeingTextLegsIsOutvoted()
    {
        var fused = ScoreFusion.Fuse(TextLegsAndAContradictingImage(), Corroborated);

        // Text legs agree on a: min(0.5, 0.4) = 0.4. The visual leg shares nothing with them: agreement 0.
        // Visual multiplier (T + 0) / (T + 0.4); the semantic leg is less sure than lexical but shares a with it,
        // so (T + 0.4) / (T + 0.4) = 1. a = 0.9, b = 0.2, c = 0.1, x = 1·m, y = 0.3·m.
        var m = T / (T + 0.4);
        Assert.Equal(["a", "b", "c", "x", "y"], fused.Select(hit => hit.Key));
        Assert.Equal(0.9, fused[0].Score, Tolerance);
        Assert.Equal(m, fused[3].Score, Tolerance);
        Assert.Equal(0.3 * m, fused[4].Score, Tolerance);
        Assert.Equal(m, fused[3].Legs["visual"].Weight, Tolerance);
        Assert.Equal(1.0, fused[0].Legs["lexical"].Weight);
        Assert.Equal(1.0, fused[0].Legs["semantic"].Weight);
        Assert.Equal(fused[3].Score, fused[3].Legs["visual"].Contribution);
    }

    [Fact]
    public void WithoutCorroborationTheSameLegsPutTheImageFirst()
    {
        var fused = ScoreFusion.Fuse(TextLegsAndAContradictingImage(), Corroborated with { Corroboration = false });

        // x = 1, a = 0.9, y = 0.3, b = 0.2, c = 0.1: the configured weights exactly.
        Assert.Equal(["x", "a", "y", "b", "c"], fused.Select(hit => hit.Key));
        Assert.All(fused, hit => Assert.All(hit.Legs.Values, leg => Assert.Equal(1.0, leg.Weight)));
    }

    [Fact]
    public void AnImageThatSharesARecordWithTheTextKeepsItsWeight()
    {
        var legs = new[]
        {
            Leg("lexical", "text", "record text", 1, H("a", 0.5f), H("b", 0.2f)),
            Leg("semantic", "text", "record text", 1, H("a", 0.4f), H("c", 0.1f)),
            Leg("visual", "image", "images", 1, H("a", 0.9f), H("x", 0.8f)),
        };

        var fused = ScoreFusion.Fuse(legs, Corroborated);

        // Visual agrees with lexical on a: min(0.9, 0.5) = 0.5 >= the text legs' 0.4 → multiplier min(1, 0.52/0.42) = 1.
        Assert.Equal(["a", "x", "b", "c"], fused.Select(hit => hit.Key));
        Assert.Equal(1.8, fused[0].Score, Tolerance);
        Assert.Equal(0.8, fused[1].Score, Tolerance);
    }

    [Fact]
    public void ALessSureRivalSharingNothingIsDamped()
    {
        var legs = new[]
        {
            Leg("lexical", "text", "record text", 1, H("a", 0.6f), H("b", 0.3f)),
            // An embedding of a phrase unrelated to the collection: barely above the floor, on other records.
            Leg("semantic", "text", "record text", 1, H("x", 0.1f), H("y", 0.05f)),
        };

        var fused = ScoreFusion.Fuse(legs, Corroborated);

        // Semantic is less sure (0.1 < 0.6) and shares nothing: (T + 0) / (T + 0.1). Lexical keeps 1.
        var m = T / (T + 0.1);
        Assert.Equal(["a", "b", "x", "y"], fused.Select(hit => hit.Key));
        Assert.Equal(0.1 * m, fused[2].Score, Tolerance);
        Assert.Equal(m, fused[2].Legs["semantic"].Weight, Tolerance);
        Assert.Equal(1.0, fused[0].Legs["lexical"].Weight);
    }

    [Fact]
    public void ARecordSharedOnlyDeepInALongWindowIsNoAgreement()
    {
        // Lexical's 21 best records are its own; the one record both legs hold is lexical's 22nd.
        var lexicalHits = Enumerable.Range(0, 21).Select(i => H($"l{i:D2}", 0.6f - (0.01f * i))).Append(H("s", 0.3f)).ToArray();
        var legs = new[]
        {
            Leg("lexical", "text", "record text", 1, lexicalHits),
            Leg("semantic", "text", "record text", 1, H("s", 0.1f), H("y", 0.05f)),
        };

        var fused = ScoreFusion.Fuse(legs, Corroborated);

        // Only the first 20 of each leg are compared: no agreement, so semantic (less sure) gets T / (T + 0.1).
        Assert.Equal(T / (T + 0.1), fused.Single(hit => hit.Key == "y").Legs["semantic"].Weight, Tolerance);
    }

    [Fact]
    public void LegsReadingDifferentContentAreComplementaryNotRivals()
    {
        var legs = new[]
        {
            Leg("lexical", "text", "record text", 1, H("a", 0.6f)),
            // Spoken words found in a recording that no record text mentions: exactly what the transcript leg is for.
            Leg("transcript", "text", "transcripts", 1, H("t", 0.1f)),
        };

        var fused = ScoreFusion.Fuse(legs, Corroborated);

        Assert.Equal(0.1, fused.Single(hit => hit.Key == "t").Score, Tolerance);
        Assert.Equal(1.0, fused.Single(hit => hit.Key == "t").Legs["transcript"].Weight);
    }

    [Fact]
    public void LegsWithoutAQueryInputTakeNoPart()
    {
        var fused = ScoreFusion.Fuse(TextLegsAndAContradictingImage(imageInput: null), Corroborated);

        Assert.Equal("x", fused[0].Key);
        Assert.Equal(1.0, fused[0].Legs["visual"].Weight);
    }

    [Fact]
    public void AWeightZeroLegIsNoEvidence()
    {
        // With lexical switched off, one text leg is left: no agreement among text legs to outvote the image with.
        var fused = ScoreFusion.Fuse(TextLegsAndAContradictingImage(lexicalWeight: 0), Corroborated);

        Assert.Equal("x", fused[0].Key);
        Assert.Equal(1.0, fused[0].Legs["visual"].Weight);
    }

    [Theory]
    [InlineData(FusionMethod.ReciprocalRank)]
    [InlineData(FusionMethod.MinMax)]
    [InlineData(FusionMethod.ZScore)]
    [InlineData(FusionMethod.TheoreticalMinMax)]
    public void OnlyBoundedScoresAreCorroborated(FusionMethod method)
    {
        var fused = ScoreFusion.Fuse(TextLegsAndAContradictingImage(), new FusionOptions { Method = method, Corroboration = true });

        Assert.All(fused, hit => Assert.All(hit.Legs.Values, leg => Assert.Equal(1.0, leg.Weight)));
    }

    [Fact]
    public void AgreeingLegsKeepTheirWeightsAndTheFusedOrderOfPlainBoundedScores()
    {
        var legs = new[]
        {
            // Semantic is less sure (0.4 < 0.7), but lexical backs its best record b as strongly (0.4): multiplier 1.
            Leg("lexical", "text", "record text", 1, H("a", 0.7f), H("b", 0.4f), H("c", 0.1f)),
            Leg("semantic", "text", "record text", 2, H("b", 0.4f), H("a", 0.35f)),
            Leg("visual", "image", "images", 1, H("a", 0.8f), H("d", 0.2f)),
        };

        var plain = ScoreFusion.Fuse(legs, Corroborated with { Corroboration = false });
        var corroborated = ScoreFusion.Fuse(legs, Corroborated);

        Assert.Equal(plain.Select(hit => (hit.Key, hit.Score)), corroborated.Select(hit => (hit.Key, hit.Score)));
        Assert.Equal(2.0, corroborated.Single(hit => hit.Key == "a").Legs["semantic"].Weight);
    }
}
