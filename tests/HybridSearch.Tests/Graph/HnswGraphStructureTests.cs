using CsCheck;
using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class HnswGraphStructureTests
{
    private static readonly VectorSimilarity[] Similarities = [VectorSimilarity.Cosine, VectorSimilarity.DotProduct, VectorSimilarity.Euclidean];

    [Fact]
    public void BuiltGraphsSatisfyTheInvariantsAndRoundTripThroughFromArrays()
    {
        Gen.Select(Gen.Int[0, 400], Gen.Int[1, 24], Gen.Int[2, 12], Gen.Int[0, 1000], Gen.Int[0, 2])
            .Sample((n, dim, m, seed, sim) =>
            {
                VectorSimilarity similarity = Similarities[sim];
                // Few clusters and low noise give near-duplicates, the case where heuristic pruning orphans nodes.
                float[] data = GraphTestData.Clustered(n, dim, 1 + (seed % 5), seed % 3 == 0 ? 0.01f : 0.5f, seed, similarity != VectorSimilarity.Euclidean);
                HnswGraph graph = GraphTestData.Build(data, dim, similarity, new HnswBuildOptions { M = m, EfConstruction = 1 + (seed % 50), Seed = seed });
                Assert.Equal(n, graph.Count);
                Assert.Equal(m, graph.M);
                Assert.Null(GraphTestData.Violation(graph));

                var (level0, nodes, neighbours) = GraphTestData.Arrays(graph);
                HnswGraph copy = HnswGraph.FromArrays(graph.Count, graph.M, graph.MaxLevel, graph.EntryPoint, level0, nodes, neighbours);
                AssertSameGraph(graph, copy);
            }, iter: 60);
    }

    [Fact]
    public void SameSeedGivesIdenticalArraysAndOtherSeedsDiffer()
    {
        const int dim = 16;
        float[] data = GraphTestData.Clustered(700, dim, 7, 0.6f, seed: 2);
        HnswGraph a = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 6, EfConstruction = 30, Seed = 99 });
        HnswGraph b = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 6, EfConstruction = 30, Seed = 99 });
        HnswGraph c = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 6, EfConstruction = 30, Seed = 100 });
        AssertSameGraph(a, b);
        Assert.False(a.NodesOnLevel(1).SequenceEqual(c.NodesOnLevel(1)), "a different seed should draw different levels");
    }

    [Fact]
    public void LevelsFollowTheExpectedGeometricDistribution()
    {
        float[] data = GraphTestData.Clustered(3000, 4, 4, 0.5f, seed: 6);
        HnswGraph graph = GraphTestData.Build(data, 4, VectorSimilarity.Cosine, new HnswBuildOptions { M = 4, EfConstruction = 8 });
        // P(level >= 1) = 1/M = 0.25 -> ~750 nodes; P(level >= 2) = 1/16 -> ~188.
        Assert.InRange(graph.NodesOnLevel(1).Length, 600, 900);
        Assert.InRange(graph.NodesOnLevel(2).Length, 120, 260);
        Assert.True(graph.MaxLevel >= 3);
    }

    [Fact]
    public void FromArraysRejectsCorruptedArrays()
    {
        const int dim = 8;
        float[] data = GraphTestData.Clustered(300, dim, 3, 0.5f, seed: 17);
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = 4, EfConstruction = 20 });
        Assert.True(graph.MaxLevel >= 2, "the fixture needs at least two upper levels");
        int stride0 = 2 * graph.M + 1;

        void Rejects(string expectedFragment, Action<int[], int[][], int[][]> corrupt, int? count = null, int? maxLevel = null, int? entry = null, int? m = null)
        {
            var (level0, nodes, neighbours) = GraphTestData.Arrays(graph);
            corrupt(level0, nodes, neighbours);
            var error = Assert.Throws<InvalidDataException>(() => HnswGraph.FromArrays(count ?? graph.Count, m ?? graph.M, maxLevel ?? graph.MaxLevel, entry ?? graph.EntryPoint, level0, nodes, neighbours));
            Assert.Contains(expectedFragment, error.Message);
        }

        int node0 = 5 * stride0;
        Rejects("outside 0..8", (l0, _, _) => l0[node0] = 2 * graph.M + 1);
        Rejects("links to 300", (l0, _, _) => { l0[node0] = Math.Max(l0[node0], 1); l0[node0 + 1] = 300; });
        Rejects("links to itself", (l0, _, _) => { l0[node0] = Math.Max(l0[node0], 1); l0[node0 + 1] = 5; });
        Rejects("twice", (l0, _, _) => { l0[node0] = Math.Max(l0[node0], 2); l0[node0 + 2] = l0[node0 + 1]; });
        Rejects("level 0 block", (_, _, _) => { }, count: 301);
        Rejects("entry point", (_, _, _) => { }, entry: 300);
        Rejects("entry point", (_, _, _) => { }, entry: graph.NodesOnLevel(1).ToArray().First(x => graph.LevelOf(x) < graph.MaxLevel));
        Rejects("upper levels", (_, _, _) => { }, maxLevel: graph.MaxLevel + 1);
        Rejects("strictly increasing", (_, nodes, _) => (nodes[0][0], nodes[0][1]) = (nodes[0][1], nodes[0][0]));
        Rejects("but not on level 1", (_, nodes, _) => nodes[1][0] = Enumerable.Range(0, nodes[1][1]).First(x => graph.LevelOf(x) == 0));
        Rejects("which is not on that level", (_, _, nb) => { nb[0][0] = Math.Max(nb[0][0], 1); nb[0][1] = Enumerable.Range(0, 300).First(x => graph.LevelOf(x) == 0); });
        Rejects("neighbour block", (_, _, nb) => Array.Resize(ref nb[0], nb[0].Length - 1));
        Rejects("M = 0", (_, _, _) => { }, m: 0);
    }

    [Fact]
    public void AccessorsRejectLevelsAndNodesOutOfRange()
    {
        float[] data = GraphTestData.Clustered(200, 4, 2, 0.5f, seed: 9);
        HnswGraph graph = GraphTestData.Build(data, 4, VectorSimilarity.Cosine, new HnswBuildOptions { M = 4 });
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.NodesOnLevel(0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.NeighboursOnLevel(graph.MaxLevel + 1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.Neighbours(0, 200).Length);
        int levelZeroNode = Enumerable.Range(0, 200).First(x => graph.LevelOf(x) == 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.Neighbours(1, levelZeroNode).Length);
        Assert.Equal(graph.Level0[levelZeroNode * 9], graph.Neighbours(0, levelZeroNode).Length);
    }

    private static void AssertSameGraph(HnswGraph expected, HnswGraph actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.M, actual.M);
        Assert.Equal(expected.MaxLevel, actual.MaxLevel);
        Assert.Equal(expected.EntryPoint, actual.EntryPoint);
        Assert.True(expected.Level0.SequenceEqual(actual.Level0), "level 0 differs");
        for (int level = 1; level <= expected.MaxLevel; level++)
        {
            Assert.True(expected.NodesOnLevel(level).SequenceEqual(actual.NodesOnLevel(level)), $"nodes of level {level} differ");
            Assert.True(expected.NeighboursOnLevel(level).SequenceEqual(actual.NeighboursOnLevel(level)), $"neighbours of level {level} differ");
        }

        for (int node = 0; node < expected.Count; node++)
        {
            Assert.Equal(expected.LevelOf(node), actual.LevelOf(node));
            for (int level = 0; level <= expected.LevelOf(node); level++)
            {
                Assert.True(expected.Neighbours(level, node).SequenceEqual(actual.Neighbours(level, node)));
            }
        }
    }
}
