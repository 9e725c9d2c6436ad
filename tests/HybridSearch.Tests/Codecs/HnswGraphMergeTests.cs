using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Tests.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static HybridSearch.Tests.Codecs.VectorIndexFixture;

namespace HybridSearch.Tests.Codecs;

public sealed class HnswGraphMergeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)] // the int8 field builds and extends its graph on the quantized records
    public void AMergeStartsFromTheLargestSegmentsGraphDropsItsDeletionsAndKeepsEveryLiveVectorReachable(VectorQuantization quantization)
    {
        var options = new VectorFieldOptions(16, VectorSimilarity.Cosine) { M = 8, EfConstruction = 64, BuildThreads = 1, Quantization = quantization };
        var vectors = RandomVectors(1400, 16, seed: 31);
        using var dir = FSDirectory.Open(_temp.Path);
        using var writer = OpenWriter(dir, options, maxBufferedDocs: 1000);
        AddAll(writer, vectors, options); // segments of 1000 and 400 documents
        writer.Commit();
        static bool Live(int id) => id % 5 != 2; // deletes a fifth of both segments
        for (var i = 0; i < vectors.Length; i++)
        {
            if (!Live(i))
            {
                writer.DeleteDocuments(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        writer.Commit();
        Dictionary<int, int> large;
        using (var before = DirectoryReader.Open(dir))
        {
            Assert.Equal(2, before.Leaves.Count);
            var largest = before.Leaves.MaxBy(l => l.AtomicReader.MaxDoc)!.AtomicReader;
            Assert.Equal(1000, largest.MaxDoc);
            large = LevelsById(largest);
        }

        writer.ForceMerge(1);
        writer.Commit();
        using var merged = DirectoryReader.Open(dir);
        Assert.Single(merged.Leaves);
        var mergedValues = (HnswVectorValues)merged.Leaves[0].AtomicReader.GetBinaryDocValues(Field);
        Assert.Equal(Enumerable.Range(0, vectors.Length).Count(Live), mergedValues.Count);
        Assert.Null(GraphTestData.Violation(mergedValues.Graph)); // well-formed, every node reachable on level 0

        // The large segment's surviving nodes kept their levels: a fresh build would have drawn new ones by ordinal.
        var mergedLevels = LevelsById(merged.Leaves[0].AtomicReader);
        Assert.Equal(800, large.Count(p => Live(p.Key)));
        Assert.All(large.Where(p => Live(p.Key)), p => Assert.Equal(p.Value, mergedLevels[p.Key]));

        var searcher = new IndexSearcher(merged);
        var queries = RandomVectors(20, 16, seed: 32);
        var recall = queries.Average(q => Recall(Search(searcher, q, 10, ef: 64), BruteForce(vectors, q, 10, VectorSimilarity.Cosine, Live)));
        Assert.True(recall >= 0.95, $"recall after a merge that kept a graph: {recall}");
        foreach (var q in queries)
        {
            // A beam wider than the index reaches every live node; an int8 walk re-scores only its best k x
            // Oversample estimates with the floats, so it re-scores them all here to be exact too.
            var exact = new KnnVectorQuery(Field, q, 10, ef: 2000) { Oversample = 100 };
            var found = searcher.Search(exact, 10).ScoreDocs.Select(s => int.Parse(searcher.Doc(s.Doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(BruteForce(vectors, q, 10, VectorSimilarity.Cosine, Live), found);
        }

        Assert.True(new CheckIndex(dir).DoCheckIndex().Clean);
    }

    /// <summary>Graph level of each document with a vector, by its id field (ordinal i is the i-th document with a vector).</summary>
    private static Dictionary<int, int> LevelsById(AtomicReader reader)
    {
        var values = (HnswVectorValues)reader.GetBinaryDocValues(Field);
        var levels = new Dictionary<int, int>();
        var ord = 0;
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (!values.GetVector(doc).IsEmpty)
            {
                var id = int.Parse(reader.Document(doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture);
                levels[id] = values.Graph.LevelOf(ord++);
            }
        }

        return levels;
    }
}
