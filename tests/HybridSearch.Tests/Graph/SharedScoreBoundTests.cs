using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

public class SharedScoreBoundTests
{
    private const int Dim = 24;

    [Fact]
    public void TheBoundIsTheSmallestOfTheBestOfferedOnceFull()
    {
        var bound = new SharedScoreBound(3);
        Assert.Equal(float.NegativeInfinity, bound.Offer([0.5f, 0.1f]));
        Assert.Equal(0.1f, bound.Offer([0.3f]));
        Assert.Equal(0.3f, bound.Offer([0.9f, 0.2f, 0.05f]));
        Assert.Equal(0.3f, bound.Minimum);
    }

    /// <summary>Six graphs over one clustered set, searched one after the other: sharing the bound must score fewer
    /// vectors than searching each graph on its own, and lose next to no recall.</summary>
    [Fact]
    public void SharingTheBoundAcrossGraphsScoresFewerVectorsForTheSameHits()
    {
        const int parts = 6, perPart = 800;
        float[] data = GraphTestData.Clustered(parts * perPart, Dim, 40, 0.5f, seed: 51);
        var options = new HnswBuildOptions { M = 8, EfConstruction = 64 };
        var graphs = new HnswGraph[parts];
        var slices = new float[parts][];
        for (int p = 0; p < parts; p++)
        {
            slices[p] = data[(p * perPart * Dim)..((p + 1) * perPart * Dim)];
            graphs[p] = GraphTestData.Build(slices[p], Dim, VectorSimilarity.Cosine, options);
        }

        float[] queries = GraphTestData.Clustered(40, Dim, 40, 0.5f, seed: 52);
        long scoredShared = 0, scoredAlone = 0;
        double recallShared = 0, recallAlone = 0;
        var searcher = new HnswGraphSearcher(perPart);
        for (int q = 0; q < 40; q++)
        {
            var query = queries.AsMemory(q * Dim, Dim);
            int[] truth = GraphTestData.BruteForce(data, Dim, VectorSimilarity.Cosine, query, 10);
            foreach (bool share in new[] { true, false })
            {
                var bound = share ? new SharedScoreBound(40) : null;
                var entries = Enumerable.Range(0, parts)
                    .Select(p => (Part: p, Entry: searcher.FindEntry(graphs[p], new FloatQueryScorer(slices[p], Dim, VectorSimilarity.Cosine, query), int.MaxValue)))
                    .OrderByDescending(e => e.Entry.Score).ToArray();
                var hits = new List<(int Id, float Score)>();
                long scored = 0;
                foreach (var (part, entry) in entries)
                {
                    var result = searcher.SearchFrom(graphs[part], new FloatQueryScorer(slices[part], Dim, VectorSimilarity.Cosine, query), entry, 10, 40, null, int.MaxValue, bound);
                    scored += result.Visited;
                    hits.AddRange(Enumerable.Range(0, result.Count).Select(i => (part * perPart + result.Ordinals[i], result.Scores[i])));
                }

                double recall = hits.OrderByDescending(h => h.Score).Take(10).Select(h => h.Id).Intersect(truth).Count() / 10.0;
                if (share)
                {
                    scoredShared += scored;
                    recallShared += recall;
                }
                else
                {
                    scoredAlone += scored;
                    recallAlone += recall;
                }
            }
        }

        Assert.True(scoredShared < scoredAlone * 0.9, $"shared bound scored {scoredShared} vectors, independent searches {scoredAlone}");
        Assert.True(recallShared >= recallAlone - 0.03 * 40, $"recall shared {recallShared / 40}, independent {recallAlone / 40}");
    }
}
