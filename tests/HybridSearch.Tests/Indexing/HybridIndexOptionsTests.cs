using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Indexing.Analysis;
using HybridSearch.Vectors;
using Lucene.Net.Search.Similarities;

namespace HybridSearch.Tests.Indexing;

public class HybridIndexOptionsTests
{
    private static readonly HybridIndexOptions Defaults = HybridIndexOptions.Default;

    public static TheoryData<string, Func<object>> InvalidSettings => new()
    {
        { "RamBufferMB", () => Defaults with { RamBufferMB = HybridIndexOptions.MinRamBufferMB - 0.5 } },
        { "RamBufferMB", () => Defaults with { RamBufferMB = HybridIndexOptions.MaxRamBufferMB + 1 } },
        { "RamBufferMB", () => new HybridIndexOptions { RamBufferMB = double.NaN } },
        { "SegmentsPerTier", () => Defaults with { SegmentsPerTier = HybridIndexOptions.MinSegmentsPerTier - 1 } },
        { "SegmentsPerTier", () => Defaults with { SegmentsPerTier = HybridIndexOptions.MaxSegmentsPerTier + 1 } },
        { "Bm25", () => Defaults with { Bm25 = null! } },
        { "K1", () => Defaults with { Bm25 = Defaults.Bm25 with { K1 = -0.1f } } },
        { "B", () => Defaults with { Bm25 = new Bm25Options { B = 1.5f } } },
        { "AnalyzerFactory", () => Defaults with { AnalyzerFactory = null! } },
        { "VectorFields", () => Defaults with { VectorFields = null! } },
        { "VectorFields", () => Defaults.WithVectorField(" ", new VectorFieldOptions(4, VectorSimilarity.Cosine)) },
        { "VectorFields", () => Defaults.WithVectorField("image_vector", null!) },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void EveryInvalidSettingThrowsWhenSetNamingTheOption(string option, Func<object> make) =>
        OptionsAssert.RejectsNaming(option, make);

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = new HybridIndexOptions();

        Assert.Empty(options.VectorFields);
        Assert.Equal(128, options.RamBufferMB);
        Assert.Equal(2, options.SegmentsPerTier);
        Assert.Equal(Bm25Options.DefaultK1, options.Bm25.K1);
        Assert.Equal(Bm25Options.DefaultB, options.Bm25.B);
        Assert.Equal(1.2f, options.Bm25.K1);
        Assert.Equal(0.75f, options.Bm25.B);
        var similarity = Assert.IsAssignableFrom<BM25Similarity>(options.CreateSimilarity());
        Assert.Equal(1.2f, similarity.K1);
        Assert.Equal(0.75f, similarity.B);
    }

    [Fact]
    public void BoundsAreAcceptedAndVectorFieldsAreCopied()
    {
        var fields = new Dictionary<string, VectorFieldOptions> { ["a"] = new VectorFieldOptions(4, VectorSimilarity.Cosine) };
        var options = Defaults with
        {
            RamBufferMB = HybridIndexOptions.MaxRamBufferMB,
            SegmentsPerTier = HybridIndexOptions.MaxSegmentsPerTier,
            VectorFields = fields,
        };

        fields["b"] = new VectorFieldOptions(8, VectorSimilarity.Cosine);

        Assert.Equal(HybridIndexOptions.MaxRamBufferMB, options.RamBufferMB);
        Assert.Equal(new[] { "a" }, options.VectorFields.Keys);
        Assert.Equal(new[] { "a", "c" }, options.WithVectorField("c", fields["b"]).VectorFields.Keys.Order());
    }
}
