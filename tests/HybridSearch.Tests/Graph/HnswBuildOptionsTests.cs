using HybridSearch.Codecs;
using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class HnswBuildOptionsTests
{
    private static readonly HnswBuildOptions Defaults = new();

    public static TheoryData<string, Func<object>> InvalidSettings => new()
    {
        { "M", () => Defaults with { M = HnswBuildOptions.MinM - 1 } },
        { "M", () => new HnswBuildOptions { M = HnswBuildOptions.MaxM + 1 } },
        { "EfConstruction", () => Defaults with { EfConstruction = HnswBuildOptions.MinEfConstruction - 1 } },
        { "EfConstruction", () => Defaults with { EfConstruction = HnswBuildOptions.MaxEfConstruction + 1 } },
        // The vector field's options use the same limits (one source).
        { "M", () => new VectorFieldOptions(4, VectorSimilarity.Cosine) { M = HnswBuildOptions.MaxM + 1 } },
        { "EfConstruction", () => new VectorFieldOptions(4, VectorSimilarity.Cosine) { EfConstruction = HnswBuildOptions.MaxEfConstruction + 1 } },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void EveryInvalidSettingThrowsWhenSetNamingTheOption(string option, Func<object> make) =>
        OptionsAssert.RejectsNaming(option, make);

    [Fact]
    public void DefaultsAndBoundsAreTheDocumentedOnes()
    {
        Assert.Equal(16, Defaults.M);
        Assert.Equal(100, Defaults.EfConstruction);
        Assert.Equal(42, Defaults.Seed);
        Assert.Equal(10_000, HnswBuildOptions.MaxEfConstruction);
        var field = new VectorFieldOptions(4, VectorSimilarity.Cosine) { M = HnswBuildOptions.MaxM, EfConstruction = HnswBuildOptions.MaxEfConstruction };
        var build = Defaults with { M = HnswBuildOptions.MinM, EfConstruction = HnswBuildOptions.MaxEfConstruction };
        Assert.Equal(HnswBuildOptions.MaxEfConstruction, field.EfConstruction);
        Assert.Equal(HnswBuildOptions.MinM, build.M);
    }
}
