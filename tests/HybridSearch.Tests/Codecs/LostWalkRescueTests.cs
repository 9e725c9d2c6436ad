using HybridSearch.Codecs;
using HybridSearch.Graph;
using HybridSearch.Querying;
using HybridSearch.Tests.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;

namespace HybridSearch.Tests.Codecs;

/// <summary>Through the codec and <see cref="KnnVectorQuery"/>: walks that find none of their neighbours on a set
/// without a gradient between clusters are searched again, sketch-led, from level 1 (float and int8 fields).</summary>
public class LostWalkRescueTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)]
    public void LostWalksAreRescuedThroughTheQuery(VectorQuantization quantization)
    {
        // 400 clusters of ~10 in 128 dimensions, M 4: at ef = k = 5 most plain walks find none of their neighbours
        // (62 of 100 on the same graph in HnswRescueTests), so without the rescue recall@5 stays below 0.4; with it,
        // session 12 measured 0.79 (float, 61 rescued) and 0.88 (int8: its walk keeps k x 3 candidates, 33 rescued).
        const int dim = 128, n = 4000, queries = 100, k = 5, ef = 5;
        float[] all = GraphTestData.Clustered(n + queries, dim, 400, 1.0f, seed: 21);
        var vectors = Enumerable.Range(0, n).Select(i => all.AsSpan(i * dim, dim).ToArray()).ToArray();
        var options = new VectorFieldOptions(dim, VectorSimilarity.Cosine) { M = 4, EfConstruction = 40, Quantization = quantization };
        using var temp = new TempDirectory();
        using (var directory = FSDirectory.Open(temp.Path))
        {
            using (var writer = VectorIndexFixture.OpenWriter(directory, options))
            {
                VectorIndexFixture.AddAll(writer, vectors, options);
                writer.ForceMerge(1);
                writer.Commit();
            }

            using var reader = DirectoryReader.Open(directory);
            var searcher = new IndexSearcher(reader);
            var rescuesBefore = HnswGraphSearcher.Rescues;
            int hits = 0;
            for (int q = 0; q < queries; q++)
            {
                var query = all.AsSpan((n + q) * dim, dim).ToArray();
                var truth = VectorIndexFixture.BruteForce(vectors, query, k, VectorSimilarity.Cosine).ToHashSet();
                var top = searcher.Search(new KnnVectorQuery(VectorIndexFixture.Field, query, k, null, ef), k);
                hits += top.ScoreDocs.Count(d => truth.Contains(int.Parse(reader.Document(d.Doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture)));
            }

            double recall = hits / (double)(queries * k);
            output.WriteLine($"{quantization}: recall@{k} {recall:F3}, rescues counted {HnswGraphSearcher.Rescues - rescuesBefore}");
            Assert.True(HnswGraphSearcher.Rescues - rescuesBefore >= 10, "the walks were not judged lost");
            Assert.True(recall >= 0.7, $"recall@{k} {recall:F3}");
        }
    }
}
