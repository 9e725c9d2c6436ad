using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static HybridSearch.Tests.Codecs.VectorIndexFixture;

namespace HybridSearch.Tests.Codecs;

public sealed class HnswVectorsFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(VectorSimilarity.Cosine)]
    [InlineData(VectorSimilarity.DotProduct)]
    [InlineData(VectorSimilarity.Euclidean)]
    public void GraphSearchWithWideBeamAgreesWithBruteForce(VectorSimilarity similarity)
    {
        var options = new VectorFieldOptions(16, similarity) { M = 8, EfConstruction = 64 };
        var vectors = RandomVectors(600, 16, seed: 1);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, vectors, options);
            writer.Commit();
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        foreach (var query in RandomVectors(20, 16, seed: 2))
        {
            Assert.Equal(BruteForce(vectors, query, 10, similarity), Search(searcher, query, 10, ef: 600));
        }
    }

    [Fact]
    public void SmallSegmentIsSearchedExactly()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine);
        var vectors = RandomVectors(100, 8, seed: 3);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, vectors, options);
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        var query = RandomVectors(1, 8, seed: 4)[0];
        Assert.Equal(BruteForce(vectors, query, 5, VectorSimilarity.Cosine), Search(searcher, query, 5, ef: 5));
    }

    [Fact]
    public void ScoresFollowTheSimilarity()
    {
        var options = new VectorFieldOptions(2, VectorSimilarity.Euclidean);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, [[0f, 0f], [3f, 4f]], options);
        }

        using var reader = DirectoryReader.Open(dir);
        var top = new IndexSearcher(reader).Search(new KnnVectorQuery(Field, [0f, 0f], 2), 2);
        Assert.Equal(1f, top.ScoreDocs[0].Score, 5);
        Assert.Equal(1f / 26f, top.ScoreDocs[1].Score, 5); // 1 / (1 + 5²)
    }

    [Fact]
    public void DeletedDocumentsNeverComeBackThroughSearchOrMerge()
    {
        var options = new VectorFieldOptions(12, VectorSimilarity.Cosine) { M = 8 };
        var vectors = RandomVectors(900, 12, seed: 5);
        using var dir = FSDirectory.Open(_temp.Path);
        using var writer = OpenWriter(dir, options, maxBufferedDocs: 300);
        AddAll(writer, vectors, options);
        writer.Commit();
        for (var i = 0; i < vectors.Length; i += 3)
        {
            writer.DeleteDocuments(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        writer.Commit();
        var queries = RandomVectors(15, 12, seed: 6);
        static bool Live(int id) => id % 3 != 0;

        using (var reader = DirectoryReader.Open(dir))
        {
            Assert.Equal(3, reader.Leaves.Count);
            var searcher = new IndexSearcher(reader);
            foreach (var q in queries)
            {
                var found = Search(searcher, q, 10, ef: 400);
                Assert.All(found, id => Assert.True(Live(id)));
                Assert.Equal(BruteForce(vectors, q, 10, VectorSimilarity.Cosine, Live), found);
            }
        }

        writer.ForceMerge(1);
        writer.Commit();
        using (var merged = DirectoryReader.Open(dir))
        {
            Assert.Single(merged.Leaves);
            var values = (HnswVectorValues)merged.Leaves[0].AtomicReader.GetBinaryDocValues(Field);
            Assert.Equal(600, values.Count);
            var searcher = new IndexSearcher(merged);
            var recall = queries.Average(q => Recall(Search(searcher, q, 10, ef: 64), BruteForce(vectors, q, 10, VectorSimilarity.Cosine, Live)));
            Assert.True(recall >= 0.95, $"recall after merge {recall}");
            foreach (var q in queries)
            {
                Assert.Equal(BruteForce(vectors, q, 10, VectorSimilarity.Cosine, Live), Search(searcher, q, 10, ef: 600));
            }
        }
    }

    [Fact]
    public void FilterIsAppliedDuringTheWalkAndReturnsMinOfKAndMatches()
    {
        var options = new VectorFieldOptions(10, VectorSimilarity.Cosine) { M = 8 };
        var vectors = RandomVectors(3000, 10, seed: 7);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, vectors, options);
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        var tenPercent = new TermQuery(new Term("mod10", "3"));
        var onePercent = new BooleanQuery { { tenPercent, Occur.MUST }, { new TermQuery(new Term("id", "13")), Occur.SHOULD } };
        foreach (var q in RandomVectors(10, 10, seed: 8))
        {
            var found = Search(searcher, q, 10, tenPercent, ef: 100);
            Assert.Equal(10, found.Length);
            Assert.All(found, id => Assert.Equal(3, id % 10));
            var truth = BruteForce(vectors, q, 10, VectorSimilarity.Cosine, id => id % 10 == 3);
            Assert.True(Recall(found, truth) >= 0.8);

            // A filter matching exactly 4 documents returns those 4.
            var four = new BooleanQuery();
            foreach (var id in new[] { 5, 500, 1234, 2999 })
            {
                four.Add(new TermQuery(new Term("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))), Occur.SHOULD);
            }

            Assert.Equal(BruteForce(vectors, q, 10, VectorSimilarity.Cosine, id => id is 5 or 500 or 1234 or 2999), Search(searcher, q, 10, four));
        }

        _ = onePercent;
    }

    [Fact]
    public void OnePercentFilterIsExactAndComplete()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine) { M = 8 };
        var vectors = RandomVectors(5000, 8, seed: 9);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                var doc = NewDocument(i, vectors[i], options);
                doc.Add(new Lucene.Net.Documents.StringField("eligible", i % 100 == 0 ? "1" : "0", Lucene.Net.Documents.Field.Store.NO));
                writer.AddDocument(doc);
            }
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        var filter = new TermQuery(new Term("eligible", "1"));
        foreach (var q in RandomVectors(10, 8, seed: 10))
        {
            Assert.Equal(BruteForce(vectors, q, 10, VectorSimilarity.Cosine, id => id % 100 == 0), Search(searcher, q, 10, filter, ef: 10));
        }
    }

    [Fact]
    public void WorksAsABooleanClauseAndWithDocumentsWithoutVectors()
    {
        var options = new VectorFieldOptions(4, VectorSimilarity.Cosine);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            writer.AddDocument(NewDocument(0, [1, 0, 0, 0], options));
            writer.AddDocument(NewDocument(1, null, options));
            writer.AddDocument(NewDocument(2, [0, 1, 0, 0], options));
            writer.AddDocument(NewDocument(3, [0.9f, 0.1f, 0, 0], options));
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        Assert.Equal([0, 3, 2], Search(searcher, [1, 0, 0, 0], 10));
        var boolean = new BooleanQuery
        {
            { new KnnVectorQuery(Field, [1f, 0f, 0f, 0f], 2), Occur.MUST },
            { new TermQuery(new Term("id", "3")), Occur.MUST },
        };
        var hits = searcher.Search(boolean, 10);
        Assert.Single(hits.ScoreDocs);
        Assert.Equal("3", searcher.Doc(hits.ScoreDocs[0].Doc).Get("id"));
        Assert.Equal(0f, new IndexSearcher(reader).Explain(new KnnVectorQuery(Field, [1f, 0f, 0f, 0f], 1), 1).Value);
    }

    [Fact]
    public void NearRealTimeReaderSeesVectorsBeforeCommitAndReopenAfterCommitAgrees()
    {
        var options = new VectorFieldOptions(6, VectorSimilarity.Cosine);
        var vectors = RandomVectors(400, 6, seed: 11);
        var query = RandomVectors(1, 6, seed: 12)[0];
        int[] before;
        using (var dir = FSDirectory.Open(_temp.Path))
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, vectors, options);
            using var nrt = DirectoryReader.Open(writer, applyAllDeletes: true);
            before = Search(new IndexSearcher(nrt), query, 10, ef: 400);
            Assert.Equal(BruteForce(vectors, query, 10, VectorSimilarity.Cosine), before);
            writer.Commit();
        }

        using var reopened = FSDirectory.Open(_temp.Path);
        using var reader = DirectoryReader.Open(reopened);
        Assert.Equal(before, Search(new IndexSearcher(reader), query, 10, ef: 400));
        var values = (HnswVectorValues)reader.Leaves[0].AtomicReader.GetBinaryDocValues(Field);
        Assert.Equal(VectorSimilarity.Cosine, values.Options.Similarity);
        Assert.Equal(6, values.Options.Dimension);
    }

    [Fact]
    public void ConcurrentSearchesAgree()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine);
        var vectors = RandomVectors(2000, 8, seed: 13);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, vectors, options);
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        var queries = RandomVectors(64, 8, seed: 14);
        var sequential = queries.Select(q => Search(searcher, q, 10)).ToArray();
        var parallel = new int[queries.Length][];
        Parallel.For(0, queries.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i % queries.Length] = Search(searcher, queries[i % queries.Length], 10));
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void CheckIndexPassesOnIndexesWrittenWithTheCodec()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.DotProduct);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options, maxBufferedDocs: 100))
        {
            AddAll(writer, RandomVectors(350, 8, seed: 15), options);
            writer.DeleteDocuments(new Term("id", "7"));
            writer.Commit();
        }

        var status = new CheckIndex(dir).DoCheckIndex();
        Assert.True(status.Clean, "CheckIndex found problems");
    }

    [Theory]
    [InlineData("vec")]
    [InlineData("vex")]
    [InlineData("vem")]
    public void AFlippedByteIsDetectedNamingTheFile(string extension)
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine);
        using (var dir = FSDirectory.Open(_temp.Path))
        using (var writer = OpenWriter(dir, options, compoundFiles: false))
        {
            AddAll(writer, RandomVectors(300, 8, seed: 16), options);
        }

        var file = System.IO.Directory.GetFiles(_temp.Path, "*." + extension).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        using var damaged = FSDirectory.Open(_temp.Path);
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var reader = DirectoryReader.Open(damaged);
            foreach (var leaf in reader.Leaves)
            {
                leaf.AtomicReader.CheckIntegrity();
            }
        });
        var corrupt = error as CorruptIndexException ?? error.InnerException as CorruptIndexException;
        Assert.True(corrupt is not null, error.ToString());
        Assert.Contains(Path.GetFileName(file), corrupt!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadVectorsAreRejectedWhenTheFieldIsCreated()
    {
        var options = new VectorFieldOptions(3, VectorSimilarity.Cosine);
        Assert.Contains("expected dimension 3", Assert.Throws<InvalidVectorException>(() => new KnnVectorField("v", [1f, 2f], options)).Message, StringComparison.Ordinal);
        Assert.Contains("component 1 is NaN", Assert.Throws<InvalidVectorException>(() => new KnnVectorField("v", [1f, float.NaN, 0f], options)).Message, StringComparison.Ordinal);
        Assert.Contains("component 2", Assert.Throws<InvalidVectorException>(() => new KnnVectorField("v", [1f, 0f, float.PositiveInfinity], options)).Message, StringComparison.Ordinal);
        Assert.Contains("all zeros", Assert.Throws<InvalidVectorException>(() => new KnnVectorField("v", [0f, 0f, 0f], options)).Message, StringComparison.Ordinal);
        Assert.Equal("v", Assert.Throws<InvalidVectorException>(() => new KnnVectorField("v", [1f], options)).Field);
        Assert.Throws<InvalidVectorException>(() => new KnnVectorQuery("v", [float.NaN], 1));
    }

    [Fact]
    public void QueryOfTheWrongDimensionOrEmbedderIsAnError()
    {
        var options = new VectorFieldOptions(4, VectorSimilarity.Cosine) { Embedder = "model-a" };
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, RandomVectors(10, 4, seed: 17), options);
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        Assert.Throws<InvalidVectorException>(() => searcher.Search(new KnnVectorQuery(Field, [1f, 2f, 3f], 3), 3));
        var wrongModel = new KnnVectorQuery(Field, [1f, 2f, 3f, 4f], 3) { ExpectedEmbedder = "model-b" };
        Assert.Contains("model-a", Assert.Throws<EmbedderMismatchException>(() => searcher.Search(wrongModel, 3)).Message, StringComparison.Ordinal);
        Assert.Equal(3, searcher.Search(new KnnVectorQuery(Field, [1f, 2f, 3f, 4f], 3) { ExpectedEmbedder = "model-a" }, 3).TotalHits);
    }

    [Fact]
    public void DeletionsMaskEachVectorFieldByItsOwnOrdinals()
    {
        // Field "a" is on every document, field "b" only on odd ones, so their ordinals differ; both are searched
        // on the same segment with the same live docs.
        var options = new VectorFieldOptions(4, VectorSimilarity.Cosine);
        var random = RandomVectors(600, 4, seed: 21);
        HybridCodec.Register();
        using var dir = FSDirectory.Open(_temp.Path);
        var config = new IndexWriterConfig(Lucene.Net.Util.LuceneVersion.LUCENE_48, new Lucene.Net.Analysis.Core.KeywordAnalyzer())
        {
            Codec = new HybridCodec(new Dictionary<string, VectorFieldOptions> { ["a"] = options, ["b"] = options }),
        };
        using (var writer = new IndexWriter(dir, config))
        {
            for (var i = 0; i < random.Length; i++)
            {
                var doc = new Lucene.Net.Documents.Document
                {
                    new Lucene.Net.Documents.StringField("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Lucene.Net.Documents.Field.Store.YES),
                    new KnnVectorField("a", random[i], options),
                };
                if (i % 2 == 1)
                {
                    doc.Add(new KnnVectorField("b", random[i], options));
                }

                writer.AddDocument(doc);
            }

            writer.Commit();
            for (var i = 0; i < random.Length; i += 3)
            {
                writer.DeleteDocuments(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        using var reader = DirectoryReader.Open(dir);
        Assert.NotNull(reader.Leaves[0].AtomicReader.LiveDocs);
        var searcher = new IndexSearcher(reader);
        int[] Ids(string field, float[] q) => searcher.Search(new KnnVectorQuery(field, q, 10, ef: 600), 10).ScoreDocs
            .Select(sd => int.Parse(searcher.Doc(sd.Doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (var q in RandomVectors(5, 4, seed: 22))
        {
            Assert.Equal(BruteForce(random, q, 10, VectorSimilarity.Cosine, id => id % 3 != 0), Ids("a", q));
            Assert.Equal(BruteForce(random, q, 10, VectorSimilarity.Cosine, id => id % 3 != 0 && id % 2 == 1), Ids("b", q));
        }
    }
}
