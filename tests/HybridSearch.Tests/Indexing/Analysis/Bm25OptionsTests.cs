using HybridSearch.Indexing.Analysis;
using Lucene.Net.Search.Similarities;

namespace HybridSearch.Tests.Indexing;

public sealed class Bm25OptionsTests
{
    [Fact]
    public void CreateSimilarityCarriesTheParameters()
    {
        var similarity = Assert.IsAssignableFrom<BM25Similarity>((Bm25Options.Default with { K1 = 0.9f, B = 0.4f }).CreateSimilarity());

        Assert.Equal(0.9f, similarity.K1);
        Assert.Equal(0.4f, similarity.B);
    }

    [Fact]
    public void DefaultsAreTheDocumentedConstants()
    {
        Assert.Equal(Bm25Options.DefaultK1, Bm25Options.Default.K1);
        Assert.Equal(Bm25Options.DefaultB, Bm25Options.Default.B);
    }

    [Theory]
    [InlineData(-0.1f, 0.5f)]
    [InlineData(float.NaN, 0.5f)]
    [InlineData(float.PositiveInfinity, 0.5f)]
    [InlineData(1.2f, -0.01f)]
    [InlineData(1.2f, 1.01f)]
    [InlineData(1.2f, float.NaN)]
    public void OutOfRangeParametersAreRejected(float k1, float b)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Options { K1 = k1, B = b });
    }
}
