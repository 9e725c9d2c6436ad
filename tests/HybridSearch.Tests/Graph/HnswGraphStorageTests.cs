using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

/// <summary>Graphs over a level 0 kept elsewhere (as the codec's reader keeps it in a mapped file): same searches,
/// validation of level 0 deferred to an explicit check, and damage that can only fail loudly.</summary>
public sealed class HnswGraphStorageTests
{
    [Fact]
    public void AGraphOverExternalLevel0SearchesLikeTheBuiltOne()
    {
        const int dim = 12;
        float[] data = GraphTestData.Clustered(500, dim, 5, 0.5f, seed: 3, normalise: true);
        HnswGraph built = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 8, EfConstruction = 40, Seed = 5 });
        var (level0, nodes, neighbours) = GraphTestData.Arrays(built);
        HnswGraph stored = HnswGraph.FromStorage(built.Count, built.M, built.MaxLevel, built.EntryPoint, new ReadOnlyMemory<int>(level0), nodes, neighbours);
        stored.CheckLevel0();
        var searcher = new HnswGraphSearcher(500);
        for (int q = 0; q < 20; q++)
        {
            var query = data.AsMemory(q * dim, dim);
            var a = searcher.Search(built, new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, query), 10, 40, null);
            var b = searcher.Search(stored, new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, query), 10, 40, null);
            Assert.Equal(a.Ordinals, b.Ordinals);
            Assert.Equal(a.Scores, b.Scores);
        }
    }

    [Fact]
    public void Level0DamageIsFoundByTheCheckNotByOpening()
    {
        const int dim = 8;
        float[] data = GraphTestData.Clustered(300, dim, 3, 0.5f, seed: 4, normalise: true);
        HnswGraph built = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 6, EfConstruction = 30, Seed = 6 });
        var (level0, nodes, neighbours) = GraphTestData.Arrays(built);
        int stride = 2 * built.M + 1;
        level0[17 * stride + 1] = 17; // node 17 links to itself
        HnswGraph stored = HnswGraph.FromStorage(built.Count, built.M, built.MaxLevel, built.EntryPoint, new ReadOnlyMemory<int>(level0), nodes, neighbours);
        var error = Assert.Throws<InvalidDataException>(stored.CheckLevel0);
        Assert.Contains("node 17", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => HnswGraph.FromArrays(built.Count, built.M, built.MaxLevel, built.EntryPoint, level0, nodes, neighbours));
    }
}
