using HybridSearch.Fusion;
using HybridSearch.Querying;

namespace HybridSearch.Tests.Querying;

public class HybridSearchOptionsTests
{
    private static readonly HybridSearchOptions Defaults = HybridSearchOptions.Default;

    public static TheoryData<string, Func<object>> InvalidSettings => new()
    {
        { "PageSize", () => Defaults with { PageSize = 0 } },
        { "PageSize", () => new HybridSearchOptions { PageSize = HybridSearchOptions.MaxPageSize + 1 } },
        { "Offset", () => Defaults with { Offset = -1 } },
        { "Offset", () => Defaults with { Offset = HybridSearchOptions.MaxOffset + 1 } },
        { "Offset", () => Defaults.WithPage(-1, 10) },
        { "PageSize", () => Defaults.WithPage(0, 0) },
        { "CandidateWindow", () => Defaults with { CandidateWindow = 0 } },
        { "LegWindows[Visual]", () => Defaults with { LegWindows = new Dictionary<SearchLeg, int> { [SearchLeg.Visual] = 0 } } },
        { "LegWindows[Lexical]", () => Defaults.WithCandidateWindow(SearchLeg.Lexical, -5) },
        { "LegWindows", () => Defaults with { LegWindows = new Dictionary<SearchLeg, int> { [(SearchLeg)42] = 10 } } },
        { "LegWindows", () => Defaults with { LegWindows = null! } },
        { "Weights[Visual]", () => Defaults.WithWeight(SearchLeg.Visual, -1) },
        { "Weights[Visual]", () => Defaults.WithWeight(SearchLeg.Visual, float.NaN) },
        { "Weights[Lexical]", () => Defaults with { Weights = new Dictionary<SearchLeg, float> { [SearchLeg.Lexical] = float.PositiveInfinity } } },
        { "Weights", () => Defaults.WithWeight((SearchLeg)9, 1) },
        { "MinScores[Transcript]", () => Defaults.WithMinScore(SearchLeg.Transcript, float.NaN) },
        { "MinScores", () => Defaults.WithMinScore((SearchLeg)9, 0.5f) },
        { "Legs", () => Defaults with { Legs = new HashSet<SearchLeg>() } },
        { "Legs", () => Defaults.WithLegs() },
        { "Legs", () => Defaults.WithLegs(SearchLeg.Lexical, (SearchLeg)7) },
        { "Fusion", () => Defaults with { Fusion = null! } },
        { "RrfK", () => Defaults.WithFusion(FusionMethod.ReciprocalRank, rrfK: -1) },
        { "ImageCombination", () => Defaults with { ImageCombination = (MultiImageCombination)5 } },
        { "KnnEf", () => Defaults with { KnnEf = 0 } },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void EveryInvalidSettingThrowsWhenSetNamingTheOption(string option, Func<object> make) =>
        OptionsAssert.RejectsNaming(option, make);

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = new HybridSearchOptions();

        Assert.Equal(10, options.PageSize);
        Assert.Equal(0, options.Offset);
        Assert.Equal(100, options.CandidateWindow);
        Assert.Empty(options.LegWindows);
        Assert.Empty(options.Weights);
        Assert.Empty(options.MinScores);
        Assert.Null(options.Legs);
        Assert.Same(FusionOptions.Default, options.Fusion);
        Assert.Equal(MultiImageCombination.Max, options.ImageCombination);
        Assert.Null(options.KnnEf);
        Assert.True(options.Snippets);
        Assert.True(options.HitDetails);
        Assert.False(options.Explain);
        Assert.True(options.UseIndexProfile);
        Assert.All(Enum.GetValues<SearchLeg>(), leg => Assert.Equal(1f, options.WeightOf(leg)));
    }

    [Fact]
    public void ValidSettingsAreKeptAndTheLargestPageStillHasAWindow()
    {
        var options = Defaults.WithPage(HybridSearchOptions.MaxOffset, HybridSearchOptions.MaxPageSize) with { KnnEf = 1, CandidateWindow = 1 };

        Assert.Equal(HybridSearchOptions.MaxOffset + HybridSearchOptions.MaxPageSize, options.WindowOf(SearchLeg.Lexical));
        Assert.Equal(1, options.KnnEf);
        Assert.Equal(0f, Defaults.WithWeight(SearchLeg.Visual, 0).WeightOf(SearchLeg.Visual));
        Assert.Equal(float.NegativeInfinity, Defaults.WithMinScore(SearchLeg.Lexical, float.NegativeInfinity).MinScores[SearchLeg.Lexical]);
    }

    [Fact]
    public void PerLegSettingsKeepACopySoTheCallerCannotChangeThemLater()
    {
        var weights = new Dictionary<SearchLeg, float> { [SearchLeg.Visual] = 2 };
        var legs = new HashSet<SearchLeg> { SearchLeg.Visual };
        var options = Defaults with { Weights = weights, Legs = legs };

        weights[SearchLeg.Visual] = -1;
        legs.Add(SearchLeg.Lexical);

        Assert.Equal(2f, options.WeightOf(SearchLeg.Visual));
        Assert.False(options.Allows(SearchLeg.Lexical));
    }
}
