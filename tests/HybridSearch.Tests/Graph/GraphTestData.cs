using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

/// <summary>Vector sets generated in the test, brute-force ground truth and graph invariant checks.</summary>
internal static class GraphTestData
{
    /// <summary>Gaussian clusters around random centres; normalised when <paramref name="normalise"/> (cosine / dot workloads).</summary>
    public static float[] Clustered(int count, int dimension, int clusters, float noise, int seed, bool normalise = true)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimension];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = Gaussian(random);
        }

        var data = new float[count * dimension];
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(clusters);
            for (int d = 0; d < dimension; d++)
            {
                data[i * dimension + d] = centres[c * dimension + d] + noise * Gaussian(random);
            }

            if (normalise)
            {
                Normalise(data.AsSpan(i * dimension, dimension));
            }
        }

        return data;
    }

    public static void Normalise(Span<float> v)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        }
    }

    /// <summary>Exact top-k by the same scorer the graph uses; ties by lower ordinal.</summary>
    public static int[] BruteForce(float[] data, int dimension, VectorSimilarity similarity, ReadOnlyMemory<float> query, int k, Func<int, bool>? accept = null)
    {
        var scorer = new FloatQueryScorer(data, dimension, similarity, query);
        int count = data.Length / dimension;
        return Enumerable.Range(0, count)
            .Where(i => accept is null || accept(i))
            .Select(i => (Ord: i, Score: scorer.Score(i)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Ord)
            .Take(k).Select(x => x.Ord).ToArray();
    }

    public static HnswGraph Build(float[] data, int dimension, VectorSimilarity similarity, HnswBuildOptions? options = null) =>
        HnswGraphBuilder.Build(new FloatVectorScorer(data, dimension, similarity), data.Length / dimension, options ?? new HnswBuildOptions());

    public static HnswSearchResult Search(HnswGraph graph, float[] data, int dimension, VectorSimilarity similarity, ReadOnlyMemory<float> query, int k, int ef, ulong[]? accept = null, int visitLimit = int.MaxValue) =>
        new HnswGraphSearcher(graph.Count).Search(graph, new FloatQueryScorer(data, dimension, similarity, query), k, ef, accept, visitLimit);

    /// <summary>The plain walk of a search: greedy descent, then one level-0 beam, without the rescue of a lost walk.</summary>
    public static HnswSearchResult Walk(HnswGraph graph, float[] data, int dimension, VectorSimilarity similarity, ReadOnlyMemory<float> query, int k, int ef)
    {
        var searcher = new HnswGraphSearcher(graph.Count);
        var scorer = new FloatQueryScorer(data, dimension, similarity, query);
        return searcher.SearchFrom(graph, scorer, searcher.FindEntry(graph, scorer, int.MaxValue), k, ef, null, int.MaxValue, null);
    }

    /// <summary>Checks every structural invariant of a built graph; returns a description of the first violation, or null.</summary>
    public static string? Violation(HnswGraph g)
    {
        if (g.Count == 0)
        {
            return g.EntryPoint == -1 && g.MaxLevel == 0 ? null : "empty graph must have entry -1 and max level 0";
        }

        if (g.EntryPoint < 0 || g.EntryPoint >= g.Count || g.LevelOf(g.EntryPoint) != g.MaxLevel)
        {
            return $"entry point {g.EntryPoint} is not a node on the top level {g.MaxLevel}";
        }

        if (g.Level0.Length != g.Count * (2 * g.M + 1))
        {
            return "level 0 block has the wrong length";
        }

        for (int level = 0; level <= g.MaxLevel; level++)
        {
            int max = level == 0 ? 2 * g.M : g.M;
            IEnumerable<int> nodes = level == 0 ? Enumerable.Range(0, g.Count) : g.NodesOnLevel(level).ToArray();
            int previous = -1;
            foreach (int node in nodes)
            {
                if (node <= previous)
                {
                    return $"level {level} nodes are not strictly increasing";
                }

                previous = node;
                if (level > 0 && g.LevelOf(node) < level)
                {
                    return $"node {node} is listed on level {level} but its level is {g.LevelOf(node)}";
                }

                if (level > 1 && g.NodesOnLevel(level - 1).BinarySearch(node) < 0)
                {
                    return $"node {node} is on level {level} but not on level {level - 1}";
                }

                int[] neighbours = g.Neighbours(level, node).ToArray();
                if (neighbours.Length > max)
                {
                    return $"node {node} has {neighbours.Length} neighbours on level {level} (max {max})";
                }

                if (neighbours.Distinct().Count() != neighbours.Length)
                {
                    return $"node {node} has duplicate neighbours on level {level}";
                }

                foreach (int n in neighbours)
                {
                    if (n == node)
                    {
                        return $"node {node} links to itself on level {level}";
                    }

                    if (n < 0 || n >= g.Count || g.LevelOf(n) < level)
                    {
                        return $"node {node} links on level {level} to {n}, which is not on that level";
                    }
                }
            }
        }

        // Every node reachable from the entry point on level 0.
        var seen = new bool[g.Count];
        var queue = new Queue<int>();
        seen[g.EntryPoint] = true;
        queue.Enqueue(g.EntryPoint);
        int reached = 1;
        while (queue.Count > 0)
        {
            foreach (int n in g.Neighbours(0, queue.Dequeue()))
            {
                if (!seen[n])
                {
                    seen[n] = true;
                    reached++;
                    queue.Enqueue(n);
                }
            }
        }

        return reached == g.Count ? null : $"only {reached} of {g.Count} nodes are reachable from the entry point on level 0";
    }

    /// <summary>The arrays a codec would write, for FromArrays round trips.</summary>
    public static (int[] Level0, int[][] Nodes, int[][] Neighbours) Arrays(HnswGraph g)
    {
        var nodes = new int[g.MaxLevel][];
        var neighbours = new int[g.MaxLevel][];
        for (int level = 1; level <= g.MaxLevel; level++)
        {
            nodes[level - 1] = g.NodesOnLevel(level).ToArray();
            neighbours[level - 1] = g.NeighboursOnLevel(level).ToArray();
        }

        return (g.Level0.ToArray(), nodes, neighbours);
    }

    private static float Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
