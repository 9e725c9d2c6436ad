using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static HybridSearch.Tests.Codecs.VectorIndexFixture;

namespace HybridSearch.Tests.Querying;

/// <summary>kNN over many segments: segments share the bound on the global best, so results must stay right (valid,
/// deleted and filtered-out documents never returned, full rows under a filter, exact with a wide beam).</summary>
public sealed class KnnMultiSegmentTests(KnnMultiSegmentIndex shared) : IClassFixture<KnnMultiSegmentIndex>, IDisposable
{
    private const int Dim = 16;
    private static readonly float[][] Vectors = RandomVectors(6000, Dim, seed: 41);
    private static readonly VectorFieldOptions Options = new(Dim, VectorSimilarity.Cosine) { M = 8, EfConstruction = 64 };
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Writes the 6,000 vectors into <paramref name="path"/> as 8 segments, then deletes the
    /// <paramref name="deleted"/> ones.</summary>
    internal static void WriteIndex(string path, Func<int, bool>? deleted)
    {
        var dir = FSDirectory.Open(path);
        using var writer = OpenWriter(dir, Options, maxBufferedDocs: 750); // 8 segments (too few for the default policy to merge)
        for (var i = 0; i < Vectors.Length; i++)
        {
            var doc = NewDocument(i, Vectors[i], Options);
            doc.Add(new Lucene.Net.Documents.StringField("eligible", i % 100 == 7 ? "1" : "0", Lucene.Net.Documents.Field.Store.NO));
            writer.AddDocument(doc);
        }

        if (deleted is not null)
        {
            for (var i = 0; i < Vectors.Length; i++)
            {
                if (deleted(i))
                {
                    writer.DeleteDocuments(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    /// <summary>The shared index (written once for the class, only read) or, with deletions, one of the test's own.</summary>
    private DirectoryReader OpenIndex(Func<int, bool>? deleted = null)
    {
        var path = shared.Path;
        if (deleted is not null)
        {
            path = _temp.Path;
            WriteIndex(path, deleted);
        }

        var reader = DirectoryReader.Open(FSDirectory.Open(path));
        Assert.Equal(8, reader.Leaves.Count);
        return reader;
    }

    [Fact]
    public void AWideBeamIsExactAndAModerateOneFindsTheNearestAcrossSegments()
    {
        using var reader = OpenIndex();
        var searcher = new IndexSearcher(reader);
        var queries = RandomVectors(25, Dim, seed: 42);
        foreach (var q in queries.Take(5))
        {
            Assert.Equal(BruteForce(Vectors, q, 10, VectorSimilarity.Cosine), Search(searcher, q, 10, ef: 6000));
        }

        var recall = queries.Average(q => Recall(Search(searcher, q, 10, ef: 64), BruteForce(Vectors, q, 10, VectorSimilarity.Cosine)));
        Assert.True(recall >= 0.95, $"recall@10 over 8 segments at ef 64: {recall}");
    }

    [Fact]
    public void DeletedDocumentsAreNeverReturnedAndFiltersReturnFullRows()
    {
        static bool Deleted(int id) => id % 4 == 1;
        using var reader = OpenIndex(Deleted);
        var searcher = new IndexSearcher(reader);
        var onePercent = new TermQuery(new Term("eligible", "1"));
        var tenPercent = new TermQuery(new Term("mod10", "3"));
        foreach (var q in RandomVectors(10, Dim, seed: 43))
        {
            var found = Search(searcher, q, 10, ef: 64);
            Assert.Equal(10, found.Length);
            Assert.DoesNotContain(found, Deleted);

            // 1% eligible: 60 documents spread over 8 segments; every segment is small enough to search exactly.
            Assert.Equal(BruteForce(Vectors, q, 10, VectorSimilarity.Cosine, id => id % 100 == 7 && !Deleted(id)), Search(searcher, q, 10, onePercent, ef: 10));

            var filtered = Search(searcher, q, 10, tenPercent, ef: 64);
            Assert.Equal(10, filtered.Length);
            Assert.All(filtered, id => Assert.True(id % 10 == 3 && !Deleted(id)));
            Assert.True(Recall(filtered, BruteForce(Vectors, q, 10, VectorSimilarity.Cosine, id => id % 10 == 3 && !Deleted(id))) >= 0.8);
        }
    }

    [Fact]
    public void SegmentsSearchedInParallelShareTheBoundAndFindWhatTheSequentialSearchFinds()
    {
        using var reader = OpenIndex();
        var searcher = new IndexSearcher(reader);
        var queries = RandomVectors(25, Dim, seed: 44);
        double sequential = 0, parallel = 0;
        foreach (var q in queries)
        {
            var truth = BruteForce(Vectors, q, 10, VectorSimilarity.Cosine);
            sequential += Recall(Search(searcher, q, 10, ef: 64), truth);
            var top = searcher.Search(new KnnVectorQuery(Field, q, 10, ef: 64) { SegmentParallelism = 3 }, 10);
            var ids = top.ScoreDocs.Select(d => int.Parse(searcher.Doc(d.Doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(10, ids.Distinct().Count());
            parallel += Recall(ids, truth);
        }

        Assert.True(parallel / queries.Length >= 0.95, $"parallel recall {parallel / queries.Length}");
        Assert.True(parallel >= sequential - 0.05 * queries.Length, $"parallel {parallel / queries.Length}, sequential {sequential / queries.Length}");
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnVectorQuery(Field, new float[Dim], 10) { SegmentParallelism = 0 });
    }
}
