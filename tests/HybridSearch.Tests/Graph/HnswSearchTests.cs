using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class HnswSearchTests
{
    [Theory]
    [InlineData(VectorSimilarity.Cosine)]
    [InlineData(VectorSimilarity.DotProduct)]
    [InlineData(VectorSimilarity.Euclidean)]
    public void SmallSetWithEfAtLeastCountReturnsTheExactTopK(VectorSimilarity similarity)
    {
        const int dim = 12;
        float[] data = GraphTestData.Clustered(180, dim, 6, 0.8f, seed: 3, normalise: similarity != VectorSimilarity.Euclidean);
        float[] queries = GraphTestData.Clustered(20, dim, 6, 0.8f, seed: 4, normalise: similarity != VectorSimilarity.Euclidean);
        HnswGraph graph = GraphTestData.Build(data, dim, similarity, new HnswBuildOptions { M = 4, EfConstruction = 20 });
        var searcher = new HnswGraphSearcher(0);
        for (int q = 0; q < 20; q++)
        {
            var query = queries.AsMemory(q * dim, dim);
            var result = searcher.Search(graph, new FloatQueryScorer(data, dim, similarity, query), 10, 200, null);
            Assert.False(result.Incomplete);
            Assert.Equal(GraphTestData.BruteForce(data, dim, similarity, query, 10), result.Ordinals.AsSpan(0, result.Count).ToArray());
            for (int i = 1; i < result.Count; i++)
            {
                Assert.True(result.Scores[i - 1] >= result.Scores[i], "scores must be best first");
            }
        }
    }

    [Fact]
    public void RecallAtTenIsHighOnAClusteredSetAtModestEf()
    {
        const int dim = 32, n = 4000, queries = 100;
        float[] data = GraphTestData.Clustered(n, dim, 40, 0.6f, seed: 11);
        float[] query = GraphTestData.Clustered(queries, dim, 40, 0.6f, seed: 12);
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine);
        var searcher = new HnswGraphSearcher(n);
        int hits = 0;
        for (int q = 0; q < queries; q++)
        {
            var memory = query.AsMemory(q * dim, dim);
            var truth = GraphTestData.BruteForce(data, dim, VectorSimilarity.Cosine, memory, 10);
            var result = searcher.Search(graph, new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, memory), 10, 64, null);
            hits += result.Ordinals.Take(result.Count).Count(truth.Contains);
            Assert.True(result.Visited < n, "a graph search should not score the whole set");
        }

        double recall = hits / (10.0 * queries);
        Assert.True(recall >= 0.95, $"recall@10 = {recall}"); // measured 0.93 at ef 40, so the bar is not slack
    }

    [Fact]
    public void AcceptBitsRestrictResultsAndLargeEfGivesTheExactFilteredTopK()
    {
        const int dim = 16, n = 600;
        float[] data = GraphTestData.Clustered(n, dim, 8, 0.7f, seed: 21);
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.DotProduct, new HnswBuildOptions { M = 8, EfConstruction = 40 });
        var accept = new ulong[(n + 63) / 64];
        for (int i = 0; i < n; i += 1 + (i % 7))
        {
            accept[i >> 6] |= 1UL << i; // an irregular ~25% subset
        }

        bool Accepted(int i) => ((accept[i >> 6] >> i) & 1) != 0;
        var searcher = new HnswGraphSearcher(n);
        for (int q = 0; q < 10; q++)
        {
            var query = data.AsMemory(((q * 37) + 5) % n * dim, dim);
            var scorer = new FloatQueryScorer(data, dim, VectorSimilarity.DotProduct, query);

            var modest = searcher.Search(graph, scorer, 10, 30, accept);
            Assert.Equal(10, modest.Count);
            Assert.All(modest.Ordinals.Take(modest.Count), o => Assert.True(Accepted(o), $"ordinal {o} is not accepted"));

            var exhaustive = searcher.Search(graph, scorer, 10, n, accept);
            Assert.Equal(GraphTestData.BruteForce(data, dim, VectorSimilarity.DotProduct, query, 10, Accepted), exhaustive.Ordinals.Take(exhaustive.Count).ToArray());
        }
    }

    [Fact]
    public void AcceptBitsRejectingEverythingReturnsNothing()
    {
        const int dim = 8;
        float[] data = GraphTestData.Clustered(100, dim, 4, 0.5f, seed: 5);
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine);
        var result = GraphTestData.Search(graph, data, dim, VectorSimilarity.Cosine, data.AsMemory(0, dim), 5, 10, new ulong[2]);
        Assert.Equal(0, result.Count);
        Assert.False(result.Incomplete);
        Assert.True(result.Visited >= 100, "a filter that accepts nothing forces the walk over the whole graph");
    }

    [Fact]
    public void VisitLimitStopsTheSearchAndMarksItIncomplete()
    {
        const int dim = 16, n = 800;
        float[] data = GraphTestData.Clustered(n, dim, 8, 0.7f, seed: 31);
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 8 });
        var query = data.AsMemory(3 * dim, dim);

        var free = GraphTestData.Search(graph, data, dim, VectorSimilarity.Cosine, query, 10, 50);
        Assert.False(free.Incomplete);
        Assert.True(free.Visited > 20);

        var limited = GraphTestData.Search(graph, data, dim, VectorSimilarity.Cosine, query, 10, 50, visitLimit: 20);
        Assert.True(limited.Incomplete);
        Assert.Equal(20, limited.Visited);

        var exact = GraphTestData.Search(graph, data, dim, VectorSimilarity.Cosine, query, 10, 50, visitLimit: free.Visited);
        Assert.False(exact.Incomplete);
        Assert.Equal(free.Ordinals, exact.Ordinals);

        var restrictive = new ulong[(n + 63) / 64];
        restrictive[0] = 1; // only ordinal 0 accepted: the beam never fills, so the walk hits the limit
        var filtered = GraphTestData.Search(graph, data, dim, VectorSimilarity.Cosine, query, 10, 10, restrictive, visitLimit: 100);
        Assert.True(filtered.Incomplete);
    }

    [Fact]
    public void EmptyAndSingleNodeGraphs()
    {
        HnswGraph empty = HnswGraphBuilder.Build(new FloatVectorScorer([], 4, VectorSimilarity.Cosine), 0, new HnswBuildOptions());
        Assert.Equal(0, empty.Count);
        Assert.Equal(-1, empty.EntryPoint);
        Assert.Equal(0, empty.MaxLevel);
        var none = new HnswGraphSearcher(0).Search(empty, new FloatQueryScorer([], 4, VectorSimilarity.Cosine, new float[4]), 3, 10, null);
        Assert.Equal(0, none.Count);
        Assert.False(none.Incomplete);

        float[] one = [0.6f, 0.8f];
        HnswGraph single = GraphTestData.Build(one, 2, VectorSimilarity.Cosine);
        Assert.Equal(1, single.Count);
        Assert.Equal(0, single.EntryPoint);
        Assert.Null(GraphTestData.Violation(single));
        var hit = GraphTestData.Search(single, one, 2, VectorSimilarity.Cosine, new float[] { 1, 0 }, 3, 10);
        Assert.Equal(1, hit.Count);
        Assert.Equal(0, hit.Ordinals[0]);
        Assert.Equal(0.6f, hit.Scores[0], 5);
    }

    [Fact]
    public void DuplicateVectorsStayConnectedAndSearchable()
    {
        const int dim = 6;
        float[] distinct = GraphTestData.Clustered(40, dim, 3, 0.5f, seed: 8);
        var data = new float[40 * 5 * dim];
        for (int copy = 0; copy < 5; copy++)
        {
            distinct.CopyTo(data, copy * distinct.Length); // node i and i+40k are identical
        }

        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 4, EfConstruction = 16 });
        Assert.Null(GraphTestData.Violation(graph));
        var result = GraphTestData.Search(graph, data, dim, VectorSimilarity.Cosine, distinct.AsMemory(7 * dim, dim), 5, 64);
        Assert.Equal(new[] { 7, 47, 87, 127, 167 }, result.Ordinals.Take(result.Count).ToArray());

        float[] same = Enumerable.Repeat(new[] { 1f, 0f, 0f }, 150).SelectMany(v => v).ToArray();
        HnswGraph identical = GraphTestData.Build(same, 3, VectorSimilarity.DotProduct, new HnswBuildOptions { M = 3, EfConstruction = 8 });
        Assert.Null(GraphTestData.Violation(identical));
        var all = GraphTestData.Search(identical, same, 3, VectorSimilarity.DotProduct, new float[] { 1, 0, 0 }, 4, 150);
        Assert.Equal(new[] { 0, 1, 2, 3 }, all.Ordinals.Take(all.Count).ToArray()); // equal scores break ties by ordinal
    }

    [Fact]
    public void ConcurrentSearchesOnOneGraphMatchSerialSearches()
    {
        const int dim = 16, n = 1500, queries = 64;
        float[] data = GraphTestData.Clustered(n, dim, 12, 0.6f, seed: 51);
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 8, EfConstruction = 50 });
        var serial = new int[queries][];
        var searcher = new HnswGraphSearcher(n);
        for (int q = 0; q < queries; q++)
        {
            serial[q] = searcher.Search(graph, new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, data.AsMemory(q * 7 * dim, dim)), 10, 30, null).Ordinals;
        }

        var concurrent = new int[queries][];
        Parallel.For(0, queries, new ParallelOptions { MaxDegreeOfParallelism = 4 }, () => new HnswGraphSearcher(n), (q, _, own) =>
        {
            concurrent[q] = own.Search(graph, new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, data.AsMemory(q * 7 * dim, dim)), 10, 30, null).Ordinals;
            return own;
        }, _ => { });
        for (int q = 0; q < queries; q++)
        {
            Assert.Equal(serial[q], concurrent[q]);
        }
    }

    [Fact]
    public void EuclideanScoreIsNegatedSquaredDistance()
    {
        float[] data = [0, 0, 3, 4];
        var pair = new FloatVectorScorer(data, 2, VectorSimilarity.Euclidean);
        Assert.Equal(-25f, pair.Score(0, 1), 4);
        var query = new FloatQueryScorer(data, 2, VectorSimilarity.Euclidean, new float[] { 3, 0 });
        Assert.Equal(-9f, query.Score(0), 4);
        Assert.Equal(-16f, query.Score(1), 4);
        Assert.Equal(25f, new FloatVectorScorer(data, 2, VectorSimilarity.DotProduct).Score(1, 1), 4);
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithClearExceptions()
    {
        Assert.Throws<ArgumentException>(() => new FloatVectorScorer(new float[5], 2, VectorSimilarity.Cosine));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloatVectorScorer(new float[4], 0, VectorSimilarity.Cosine));
        Assert.Throws<ArgumentException>(() => new FloatQueryScorer(new float[4], 2, VectorSimilarity.Cosine, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswBuildOptions { M = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswBuildOptions { EfConstruction = 0 });
        var scorer = new FloatVectorScorer(new float[8], 2, VectorSimilarity.Cosine);
        Assert.Throws<ArgumentOutOfRangeException>(() => HnswGraphBuilder.Build(scorer, 4, new HnswBuildOptions { M = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HnswGraphBuilder.Build(scorer, -1, new HnswBuildOptions()));

        HnswGraph graph = HnswGraphBuilder.Build(scorer, 4, new HnswBuildOptions());
        var searcher = new HnswGraphSearcher(4);
        var query = new FloatQueryScorer(new float[8], 2, VectorSimilarity.Cosine, new float[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => searcher.Search(graph, query, 0, 10, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => searcher.Search(graph, query, 1, 0, null));
        Assert.Throws<ArgumentException>(() => searcher.Search(graph, query, 1, 10, Array.Empty<ulong>()));
    }
}
