using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

/// <summary>A walk that wandered among strangers (no gradient toward the query's cluster) is searched again from the
/// best level-1 nodes; a walk that found its neighbourhood is left alone.</summary>
public class HnswRescueTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // 400 clusters of ~10 in 128 dimensions: a vector's own cluster scores ~0.5, a stranger 0 +/- 0.09, and no
    // cluster is nearer the query than another, so a narrow walk (ef = k = 5) finds the query's cluster only by luck.
    private const int Dim = 128, N = 4000, Queries = 100, K = 5, Ef = 5;

    private static (float[] All, float[] Data, HnswGraph Graph) LostWalkSet(int m)
    {
        float[] all = GraphTestData.Clustered(N + Queries, Dim, 400, 1.0f, seed: 21);
        float[] data = all[..(N * Dim)];
        return (all, data, GraphTestData.Build(data, Dim, VectorSimilarity.Cosine, new HnswBuildOptions { M = m, EfConstruction = 40 }));
    }

    /// <summary>Query q of the set, its exact top K, and the plain walk: descent then one level-0 beam, no second chance.</summary>
    private static (ReadOnlyMemory<float> Query, FloatQueryScorer Scorer, HashSet<int> Truth, HnswSearchResult Walk) PlainWalk(HnswGraphSearcher searcher, float[] all, float[] data, HnswGraph graph, int q)
    {
        var query = all.AsMemory((N + q) * Dim, Dim);
        var scorer = new FloatQueryScorer(data, Dim, VectorSimilarity.Cosine, query);
        var truth = GraphTestData.BruteForce(data, Dim, VectorSimilarity.Cosine, query, K).ToHashSet();
        var entry = searcher.FindEntry(graph, scorer, int.MaxValue);
        return (query, scorer, truth, searcher.SearchFrom(graph, scorer, entry, K, Ef, null, int.MaxValue, null));
    }

    [Fact]
    public void BackgroundExplainsABestHitBelowTheExpectedMaximumOfTheCrowd()
    {
        // mean 0.1, spread 0.05, a million vectors: by chance the best of them scores 0.1 + 0.05 * sqrt(2 ln 1e6) = 0.3628.
        var background = new SimilarityBackground(0.1, 0.05, 32);
        Assert.True(background.Explains(0.36f, 1_000_000));
        Assert.False(background.Explains(0.37f, 1_000_000));
        // Among 100 vectors the chance maximum is 0.1 + 0.05 * 3.035 = 0.2517.
        Assert.True(background.Explains(0.25f, 100));
        Assert.False(background.Explains(0.26f, 100));
        // Too few samples or no spread say nothing.
        Assert.False(new SimilarityBackground(0.1, 0.05, SimilarityBackground.MinSamples - 1).Explains(0f, 1_000_000));
        Assert.False(new SimilarityBackground(0.1, 0, 32).Explains(0f, 1_000_000));
    }

    [Fact]
    public void TheSketchShortlistIsOneLevelOneNodeIn128AndAtLeastFourPerSeed()
    {
        Assert.Equal(488, HnswGraphSearcher.ShortlistSize(62_500)); // a million vectors at M 16
        Assert.Equal(97, HnswGraphSearcher.ShortlistSize(12_500));
        Assert.Equal(4 * HnswGraphSearcher.RescueSeeds, HnswGraphSearcher.ShortlistSize(3_125));
        Assert.Equal(4 * HnswGraphSearcher.RescueSeeds, HnswGraphSearcher.ShortlistSize(0));
    }

    [Fact]
    public void AWalkLostAmongManyClustersIsRescuedFromLevelOne()
    {
        var (all, data, graph) = LostWalkSet(m: 8);
        var searcher = new HnswGraphSearcher(N);
        int walkHits = 0, rescuedHits = 0, rescued = 0;
        for (int q = 0; q < Queries; q++)
        {
            var (_, scorer, truth, walk) = PlainWalk(searcher, all, data, graph, q);
            walkHits += walk.Ordinals.Take(walk.Count).Count(truth.Contains);

            var result = searcher.Search(graph, scorer, K, Ef, null);
            Assert.False(result.Incomplete);
            rescuedHits += result.Ordinals.Take(result.Count).Count(truth.Contains);
            if (result.Visited > walk.Visited)
            {
                rescued++;
                // The rescue scored every level-1 node on top of the walk.
                Assert.True(result.Visited >= walk.Visited + graph.NodesOnLevel(1).Length);
            }
        }

        double walkRecall = walkHits / (double)(Queries * K), recall = rescuedHits / (double)(Queries * K);
        output.WriteLine($"recall@{K} walk {walkRecall:F3}, with rescue {recall:F3}, {rescued} of {Queries} walks rescued");
        Assert.True(rescued > 0, "no walk was judged lost");
        Assert.True(walkRecall < 0.8, $"the set is meant to lose narrow walks (walk recall {walkRecall:F3})");
        Assert.True(recall >= 0.85, $"rescued recall {recall:F3} (walk alone {walkRecall:F3}, {rescued} rescued)");
        Assert.True(recall >= walkRecall + 0.1, $"rescued recall {recall:F3} vs walk alone {walkRecall:F3}");
    }

    [Fact]
    public void TheSketchHoldsTheSignsAroundTheMeanAndCountsDifferingBits()
    {
        // Level 1 of a 3-node graph built by hand: nodes 0 and 2 (node 1 only on level 0).
        HnswGraph graph = HnswGraph.FromArrays(3, 2, 1, 0, [1, 1, 0, 0, 0, 2, 0, 2, 0, 0, 1, 1, 0, 0, 0], [[0, 2]], [[1, 2, 0, 1, 0, 0]]);
        float[][] vectors = [[1f, -1f, 3f], [0f, 0f, 0f], [3f, 1f, -1f]];
        var sketch = LevelOneSketch.Build(graph, 3, ord => vectors[ord]);
        Assert.Equal(2, sketch.Rows);
        Assert.Equal(1, sketch.Words);
        // Mean of the level-1 nodes' vectors: (2, 0, 1). Node 0 is below, below, above it; node 2 above, above, below.
        Span<ulong> query = stackalloc ulong[1];
        sketch.QueryBits([2.5f, 0.5f, 0.5f], query); // above, above, below: node 2's bits exactly
        Assert.Equal(0b011UL, query[0]);
        Assert.Equal(3, sketch.Distance(0, query));
        Assert.Equal(0, sketch.Distance(1, query));
    }

    [Fact]
    public void ASketchLedRescueFindsWhatAFullLevelOneScanFinds()
    {
        var (all, data, graph) = LostWalkSet(m: 4);
        Assert.True(graph.NodesOnLevel(1).Length > HnswGraphSearcher.ShortlistSize(graph.NodesOnLevel(1).Length), "level 1 must be larger than the shortlist");
        var sketch = LevelOneSketch.Build(graph, Dim, ord => data.AsSpan(ord * Dim, Dim));
        var searcher = new HnswGraphSearcher(N);
        int fullHits = 0, sketchHits = 0, lost = 0;
        for (int q = 0; q < Queries; q++)
        {
            var (query, scorer, truth, walk) = PlainWalk(searcher, all, data, graph, q);
            if (walk.Ordinals.Take(walk.Count).Any(truth.Contains))
            {
                continue; // only walks that found nothing tell the two rescues apart
            }

            lost++;
            var full = searcher.Rescue(graph, scorer, walk, K, Ef, null, int.MaxValue);
            fullHits += full.Ordinals.Take(full.Count).Count(truth.Contains);
            var led = searcher.Rescue(graph, scorer, walk, K, Ef, null, int.MaxValue, sketch, query.Span);
            sketchHits += led.Ordinals.Take(led.Count).Count(truth.Contains);
            // The sketch-led rescue scores the shortlist, not all of level 1.
            Assert.True(led.Visited - walk.Visited < full.Visited - walk.Visited);
        }

        output.WriteLine($"{lost} walks found none of their {K}; rescued hits: full scan {fullHits}, sketch-led {sketchHits}");
        Assert.True(lost >= 10, $"only {lost} lost walks");
        Assert.True(sketchHits >= 0.9 * fullHits && sketchHits >= lost * K / 2, $"sketch-led {sketchHits} vs full scan {fullHits} over {lost} lost walks");
    }

    [Fact]
    public void AWalkThatFoundItsNeighbourhoodIsNotSearchedAgain()
    {
        // 40 clusters in 128 dimensions: the descent has a gradient to follow and every walk finds its cluster.
        const int dim = 128, n = 4000, queries = 100;
        float[] all = GraphTestData.Clustered(n + queries, dim, 40, 0.6f, seed: 11);
        float[] data = all[..(n * dim)];
        HnswGraph graph = GraphTestData.Build(data, dim, VectorSimilarity.Cosine);
        var searcher = new HnswGraphSearcher(n);
        for (int q = 0; q < queries; q++)
        {
            var scorer = new FloatQueryScorer(data, dim, VectorSimilarity.Cosine, all.AsMemory((n + q) * dim, dim));
            var entry = searcher.FindEntry(graph, scorer, int.MaxValue);
            Assert.True(entry.Background.Samples >= SimilarityBackground.MinSamples);
            var walk = searcher.SearchFrom(graph, scorer, entry, 10, 40, null, int.MaxValue, null);
            var result = searcher.Search(graph, scorer, 10, 40, null);
            Assert.Equal(walk.Visited, result.Visited);
            Assert.Equal(walk.Ordinals, result.Ordinals);
        }
    }
}
