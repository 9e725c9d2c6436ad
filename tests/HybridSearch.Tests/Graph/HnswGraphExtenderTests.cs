using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class HnswGraphExtenderTests
{
    private const int Dim = 24;

    [Fact]
    public void ExtendingKeepsTheSeedsLevelsAndLinksAndFindsWhatAFreshBuildFinds()
    {
        const int n = 3000, seedCount = 2600;
        float[] data = GraphTestData.Clustered(n, Dim, 30, 0.6f, seed: 21);
        var options = new HnswBuildOptions { M = 8, EfConstruction = 64 };
        HnswGraph seed = HnswGraphBuilder.Build(new FloatVectorScorer(data[..(seedCount * Dim)], Dim, VectorSimilarity.Cosine), seedCount, options);
        int[] identity = Enumerable.Range(0, seedCount).ToArray();

        HnswGraph extended = HnswGraphExtender.Extend(new FloatVectorScorer(data, Dim, VectorSimilarity.Cosine), n, options, seed, identity, threads: 1);
        HnswGraph fresh = GraphTestData.Build(data, Dim, VectorSimilarity.Cosine, options);

        Assert.Null(GraphTestData.Violation(extended));
        Assert.All(Enumerable.Range(0, seedCount), node => Assert.Equal(seed.LevelOf(node), extended.LevelOf(node)));
        float[] queries = GraphTestData.Clustered(60, Dim, 30, 0.6f, seed: 22);
        double extendedRecall = Recall(extended, data, queries), freshRecall = Recall(fresh, data, queries);
        Assert.True(extendedRecall >= freshRecall - 0.02, $"extended recall {extendedRecall}, fresh build {freshRecall}");
    }

    [Fact]
    public void DeletedSeedNodesAreDroppedTheirNeighboursRepairedAndEveryLiveNodeStaysReachable()
    {
        const int seedCount = 2000, added = 400;
        float[] seedData = GraphTestData.Clustered(seedCount, Dim, 20, 0.5f, seed: 23);
        var options = new HnswBuildOptions { M = 6, EfConstruction = 48 };
        HnswGraph seed = HnswGraphBuilder.Build(new FloatVectorScorer(seedData, Dim, VectorSimilarity.Cosine), seedCount, options);

        // Delete 40% of the seed, the entry point among them, then append new vectors after the survivors.
        var random = new Random(24);
        var deleted = Enumerable.Range(0, seedCount).Where(_ => random.NextDouble() < 0.4).Append(seed.EntryPoint).ToHashSet();
        var seedToNew = new int[seedCount];
        var merged = new List<float>();
        int next = 0;
        for (int old = 0; old < seedCount; old++)
        {
            seedToNew[old] = deleted.Contains(old) ? -1 : next++;
            if (!deleted.Contains(old))
            {
                merged.AddRange(seedData.AsSpan(old * Dim, Dim).ToArray());
            }
        }

        merged.AddRange(GraphTestData.Clustered(added, Dim, 20, 0.5f, seed: 25));
        float[] data = merged.ToArray();
        int n = data.Length / Dim;

        HnswGraph graph = HnswGraphExtender.Extend(new FloatVectorScorer(data, Dim, VectorSimilarity.Cosine), n, options, seed, seedToNew, threads: 1);

        Assert.Equal(n, graph.Count);
        Assert.Null(GraphTestData.Violation(graph)); // includes: every node reachable from the entry point on level 0
        for (int old = 0; old < seedCount; old++)
        {
            if (seedToNew[old] >= 0)
            {
                Assert.Equal(seed.LevelOf(old), graph.LevelOf(seedToNew[old]));
            }
        }

        float[] queries = GraphTestData.Clustered(50, Dim, 20, 0.5f, seed: 26);
        double recall = Recall(graph, data, queries);
        double freshRecall = Recall(GraphTestData.Build(data, Dim, VectorSimilarity.Cosine, options), data, queries);
        Assert.True(recall >= freshRecall - 0.03, $"recall after deletions and repair {recall}, fresh build {freshRecall}");
    }

    [Fact]
    public void OneThreadIsDeterministicAndTwoThreadsKeepTheInvariants()
    {
        const int n = 1500, seedCount = 1000;
        float[] data = GraphTestData.Clustered(n, Dim, 15, 0.6f, seed: 27);
        var options = new HnswBuildOptions { M = 8, EfConstruction = 40 };
        HnswGraph seed = HnswGraphBuilder.Build(new FloatVectorScorer(data[..(seedCount * Dim)], Dim, VectorSimilarity.Cosine), seedCount, options);
        int[] map = Enumerable.Range(0, seedCount).Select(i => i % 7 == 0 ? -1 : i - i / 7 - 1).ToArray();
        int live = map.Count(m => m >= 0);
        float[] compact = Enumerable.Range(0, seedCount).Where(i => map[i] >= 0).SelectMany(i => data.AsSpan(i * Dim, Dim).ToArray())
            .Concat(data[(seedCount * Dim)..]).ToArray();
        int count = live + (n - seedCount);
        var scorer = new FloatVectorScorer(compact, Dim, VectorSimilarity.Cosine);

        HnswGraph first = HnswGraphExtender.Extend(scorer, count, options, seed, map, threads: 1);
        HnswGraph second = HnswGraphExtender.Extend(scorer, count, options, seed, map, threads: 1);
        Assert.True(first.Level0.SequenceEqual(second.Level0));
        Assert.Equal(first.EntryPoint, second.EntryPoint);

        HnswGraph parallel = HnswGraphExtender.Extend(scorer, count, options, seed, map, threads: 2);
        Assert.Null(GraphTestData.Violation(parallel));
    }

    [Fact]
    public void ASeedOfAnotherMIsRefused()
    {
        float[] data = GraphTestData.Clustered(100, Dim, 5, 0.5f, seed: 28);
        var scorer = new FloatVectorScorer(data, Dim, VectorSimilarity.Cosine);
        HnswGraph seed = HnswGraphBuilder.Build(scorer, 100, new HnswBuildOptions { M = 4 });
        var error = Assert.Throws<ArgumentException>(() => HnswGraphExtender.Extend(scorer, 100, new HnswBuildOptions { M = 8 }, seed, Enumerable.Range(0, 100).ToArray(), 1));
        Assert.Contains("M = 4", error.Message);
    }

    private static double Recall(HnswGraph graph, float[] data, float[] queries)
    {
        int count = queries.Length / Dim;
        double sum = 0;
        for (int q = 0; q < count; q++)
        {
            var query = queries.AsMemory(q * Dim, Dim);
            int[] truth = GraphTestData.BruteForce(data, Dim, VectorSimilarity.Cosine, query, 10);
            // The plain walk (no rescue): this measures the graph the repair left, and these queries come from other
            // centres than the data, so a full Search would judge some walks lost and look at level 1 instead.
            var found = GraphTestData.Walk(graph, data, Dim, VectorSimilarity.Cosine, query, 10, ef: 40);
            sum += found.Ordinals.Take(found.Count).Intersect(truth).Count() / 10.0;
        }

        return sum / count;
    }
}
