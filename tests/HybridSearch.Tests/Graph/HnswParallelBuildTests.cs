using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class HnswParallelBuildTests
{
    [Theory]
    [InlineData(2, 16)]
    [InlineData(4, 16)]
    public void ParallelBuildKeepsTheInvariantsAndTheRecall(int threads, int m)
    {
        const int dim = 32, n = 4000, queries = 60;
        float[] data = GraphTestData.Clustered(n, dim, 40, 0.6f, seed: 11);
        float[] query = GraphTestData.Clustered(queries, dim, 40, 0.6f, seed: 12);
        var scorer = new FloatVectorScorer(data, dim, VectorSimilarity.Cosine);
        HnswGraph parallel = HnswGraphBuilder.BuildParallel(scorer, n, new HnswBuildOptions(M: m, EfConstruction: 100), threads);
        HnswGraph serial = HnswGraphBuilder.Build(scorer, n, new HnswBuildOptions(M: m, EfConstruction: 100));
        Assert.Null(GraphTestData.Violation(parallel));
        Assert.Equal(serial.MaxLevel, parallel.MaxLevel); // levels come from the seed either way
        Assert.True(serial.NodesOnLevel(1).SequenceEqual(parallel.NodesOnLevel(1)));

        double Recall(HnswGraph graph)
        {
            var searcher = new HnswGraphSearcher(n);
            int hits = 0;
            for (int q = 0; q < queries; q++)
            {
                var memory = query.AsMemory(q * dim, dim);
                var truth = GraphTestData.BruteForce(data, dim, VectorSimilarity.Cosine, memory, 10);
                var result = searcher.Search(graph, new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, memory), 10, 64, null);
                hits += result.Ordinals.Take(result.Count).Count(truth.Contains);
            }

            return hits / (10.0 * queries);
        }

        double parallelRecall = Recall(parallel), serialRecall = Recall(serial);
        Assert.True(parallelRecall >= 0.95, $"parallel recall@10 = {parallelRecall}, serial {serialRecall}");
        Assert.True(parallelRecall >= serialRecall - 0.02, $"parallel {parallelRecall} vs serial {serialRecall}");
    }

    [Fact]
    public void ParallelBuildHandlesTinyAndDuplicateSetsAndRejectsBadThreadCounts()
    {
        var scorer = new FloatVectorScorer([1, 0, 0, 1], 2, VectorSimilarity.DotProduct);
        Assert.Equal(0, HnswGraphBuilder.BuildParallel(scorer, 0, null, 2).Count);
        Assert.Null(GraphTestData.Violation(HnswGraphBuilder.BuildParallel(scorer, 1, null, 2)));
        Assert.Null(GraphTestData.Violation(HnswGraphBuilder.BuildParallel(scorer, 2, null, 3)));

        float[] same = Enumerable.Repeat(new[] { 0f, 1f }, 200).SelectMany(v => v).ToArray();
        HnswGraph duplicates = HnswGraphBuilder.BuildParallel(new FloatVectorScorer(same, 2, VectorSimilarity.Cosine), 200, new HnswBuildOptions(M: 3, EfConstruction: 10), 2);
        Assert.Null(GraphTestData.Violation(duplicates));

        Assert.Throws<ArgumentOutOfRangeException>(() => HnswGraphBuilder.BuildParallel(scorer, 2, null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HnswGraphBuilder.BuildParallel(scorer, 2, null, 65));
    }
}
