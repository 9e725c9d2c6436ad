using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class HnswParallelBuildTests
{
    private const int Dim = 32, Count = 4000;

    private static readonly float[] Data = GraphTestData.Clustered(Count, Dim, 40, 0.6f, seed: 11);

    /// <summary>The serial build the parallel ones are compared with, built once per M (it is deterministic, and the
    /// theory's rows differ only in thread count).</summary>
    private static readonly Dictionary<int, HnswGraph> SerialByM = [];

    private static HnswGraph Serial(FloatVectorScorer scorer, int m)
    {
        lock (SerialByM)
        {
            if (!SerialByM.TryGetValue(m, out var graph))
            {
                graph = HnswGraphBuilder.Build(scorer, Count, new HnswBuildOptions { M = m, EfConstruction = 100 });
                SerialByM[m] = graph;
            }

            return graph;
        }
    }

    /// <summary>Which links a parallel build keeps depends on thread timing, so this asserts only what must hold
    /// whatever the timing: a well-formed graph, the seeded levels of the serial build, and every node reachable from
    /// the entry point on level 0 with at least one link. (Recall is measured by the knn benchmark, not here.)</summary>
    [Theory]
    [InlineData(2, 16)]
    [InlineData(4, 16)]
    public void ParallelBuildKeepsTheInvariantsTheSeededLevelsAndReachability(int threads, int m)
    {
        const int n = Count;
        var scorer = new FloatVectorScorer(Data, Dim, VectorSimilarity.Cosine);
        HnswGraph parallel = HnswGraphBuilder.BuildParallel(scorer, n, new HnswBuildOptions { M = m, EfConstruction = 100 }, threads);
        HnswGraph serial = Serial(scorer, m);
        Assert.Null(GraphTestData.Violation(parallel));
        Assert.Equal(serial.MaxLevel, parallel.MaxLevel); // levels come from the seed either way
        Assert.Equal(serial.EntryPoint, parallel.EntryPoint);
        Assert.Equal(Enumerable.Range(0, n).Select(serial.LevelOf), Enumerable.Range(0, n).Select(parallel.LevelOf));
        for (int level = 1; level <= serial.MaxLevel; level++)
        {
            Assert.True(serial.NodesOnLevel(level).SequenceEqual(parallel.NodesOnLevel(level)), $"level {level} nodes differ");
        }

        Assert.DoesNotContain(Enumerable.Range(0, n), node => parallel.Neighbours(0, node).IsEmpty);
        var reached = new bool[n];
        var queue = new Queue<int>([parallel.EntryPoint]);
        reached[parallel.EntryPoint] = true;
        while (queue.Count > 0)
        {
            foreach (int next in parallel.Neighbours(0, queue.Dequeue()))
            {
                if (!reached[next])
                {
                    reached[next] = true;
                    queue.Enqueue(next);
                }
            }
        }

        Assert.DoesNotContain(Enumerable.Range(0, n), node => !reached[node]);
    }

    [Fact]
    public void ParallelBuildHandlesTinyAndDuplicateSetsAndRejectsBadThreadCounts()
    {
        var scorer = new FloatVectorScorer([1, 0, 0, 1], 2, VectorSimilarity.DotProduct);
        Assert.Equal(0, HnswGraphBuilder.BuildParallel(scorer, 0, null, 2).Count);
        Assert.Null(GraphTestData.Violation(HnswGraphBuilder.BuildParallel(scorer, 1, null, 2)));
        Assert.Null(GraphTestData.Violation(HnswGraphBuilder.BuildParallel(scorer, 2, null, 3)));

        float[] same = Enumerable.Repeat(new[] { 0f, 1f }, 200).SelectMany(v => v).ToArray();
        HnswGraph duplicates = HnswGraphBuilder.BuildParallel(new FloatVectorScorer(same, 2, VectorSimilarity.Cosine), 200, new HnswBuildOptions { M = 3, EfConstruction = 10 }, 2);
        Assert.Null(GraphTestData.Violation(duplicates));

        Assert.Throws<ArgumentOutOfRangeException>(() => HnswGraphBuilder.BuildParallel(scorer, 2, null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HnswGraphBuilder.BuildParallel(scorer, 2, null, 65));
    }
}
