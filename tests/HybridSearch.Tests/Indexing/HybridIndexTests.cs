using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Records;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Tests.Indexing;

public sealed class HybridIndexTests : IDisposable
{
    private static readonly VectorFieldOptions ImageOptions = new(4, VectorSimilarity.Cosine) { Embedder = "test-image" };
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string IndexPath => _temp.Combine("index");

    private static HybridIndexOptions Options => HybridIndexOptions.Default.WithVectorField(IndexFieldNames.ImageVector, ImageOptions);

    private static IndexedImage Image(string path, params float[] vector) =>
        new(path, "a caption of " + path, new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = vector });

    private static IndexedRecord Record(string id, int images, string modality = "CT") => new(
        id,
        "Title " + id,
        "Text of " + id,
        new Dictionary<string, FieldValue> { ["modality"] = FieldValue.Keyword(modality), ["age"] = FieldValue.Number(70) },
        Enumerable.Range(0, images).Select(i => Image($"img/{id}-{i}.png", 1, i, 0, 0)),
        [new IndexedSegment("rec/a.wav", 0, 1500, "hello from the recording")]);

    private static int Count(HybridIndex index, Query query)
    {
        using var lease = index.AcquireSearcher();
        return lease.Searcher.Search(query, 1).TotalHits;
    }

    private static TermQuery ParentIs(string id) => new(new Term(IndexFieldNames.Parent, id));

    [Fact]
    public void UpsertReplacesTheRecordAndAllItsChildren()
    {
        using var index = HybridIndex.Open(IndexPath, Options);
        index.Upsert(Record("case-1", images: 3));
        index.Upsert(Record("case-2", images: 1));
        index.Refresh();
        Assert.Equal(5, Count(index, ParentIs("case-1"))); // record + 3 images + 1 segment

        index.Upsert(Record("case-1", images: 1));
        index.Refresh();
        Assert.Equal(3, Count(index, ParentIs("case-1")));
        var stats = index.GetStats();
        Assert.Equal(2, stats.Records);
        Assert.Equal(2, stats.Images);
        Assert.Equal(2, stats.TranscriptSegments);

        index.Delete("case-1");
        index.Refresh();
        Assert.Equal(0, Count(index, ParentIs("case-1")));
        Assert.Equal(1, index.GetStats().Records);
    }

    [Fact]
    public void ABadVectorLeavesThePreviousVersionIntact()
    {
        using var index = HybridIndex.Open(IndexPath, Options);
        index.Upsert(Record("case-1", images: 2));
        var bad = new IndexedRecord("case-1", "new", "new", images: [Image("ok.png", 1, 0, 0, 0), Image("bad.png", 1, float.NaN, 0, 0)]);
        var error = Assert.Throws<InvalidVectorException>(() => index.Upsert(bad));
        Assert.Contains("case-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.png", error.Message, StringComparison.Ordinal);
        var wrongDimension = new IndexedRecord("case-1", images: [Image("short.png", 1, 0)]);
        Assert.Contains("expected dimension 4", Assert.Throws<InvalidVectorException>(() => index.Upsert(wrongDimension)).Message, StringComparison.Ordinal);
        index.Refresh();
        Assert.Equal(4, Count(index, ParentIs("case-1")));
    }

    [Fact]
    public void ARecordRefusedForABadVectorDoesNotFixItsFieldKinds()
    {
        using var index = HybridIndex.Open(IndexPath, Options);
        var refused = new IndexedRecord("case-1", fields: new Dictionary<string, FieldValue> { ["stage"] = FieldValue.Keyword("II") },
            images: [Image("bad.png", 1, float.NaN, 0, 0)]);
        Assert.Throws<InvalidVectorException>(() => index.Upsert(refused));
        Assert.False(index.MetadataFields.ContainsKey("stage"));

        // "stage" was never written as a keyword, so a number is accepted.
        index.Upsert(new IndexedRecord("case-2", fields: new Dictionary<string, FieldValue> { ["stage"] = FieldValue.Number(2) }));
        Assert.Equal(FieldKind.Number, index.MetadataFields["stage"]);
    }

    [Fact]
    public void ARecordGivingOneFieldTwoKindsIsRefusedWhole()
    {
        using var index = HybridIndex.Open(IndexPath, Options);
        var image = new IndexedImage("img.png", null, new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = [1, 0, 0, 0] },
            new Dictionary<string, FieldValue> { ["stage"] = FieldValue.Keyword("II") });
        var mixed = new IndexedRecord("case-1", fields: new Dictionary<string, FieldValue> { ["stage"] = FieldValue.Number(2) }, images: [image]);

        Assert.Equal("stage", Assert.Throws<SchemaMismatchException>(() => index.Upsert(mixed)).Field);
        Assert.Empty(index.MetadataFields);
    }

    [Fact]
    public void MetadataKindsMustAgree()
    {
        using var index = HybridIndex.Open(IndexPath, Options);
        index.Upsert(Record("case-1", 0));
        var conflicting = new IndexedRecord("case-2", fields: new Dictionary<string, FieldValue> { ["age"] = FieldValue.Keyword("old") });
        var error = Assert.Throws<SchemaMismatchException>(() => index.Upsert(conflicting));
        Assert.Equal("age", error.Field);
        index.Refresh();
        Assert.Equal(0, Count(index, ParentIs("case-2")));
    }

    [Fact]
    public void SchemaSurvivesReopenAndMismatchedOptionsAreRejected()
    {
        using (var index = HybridIndex.Open(IndexPath, Options))
        {
            index.Upsert(Record("case-1", 1));
            index.Commit();
        }

        using (var reopened = HybridIndex.Open(IndexPath))
        {
            Assert.Equal(ImageOptions.Dimension, reopened.VectorFields[IndexFieldNames.ImageVector].Dimension);
            Assert.Equal("test-image", reopened.VectorFields[IndexFieldNames.ImageVector].Embedder);
            Assert.Equal(FieldKind.Number, reopened.MetadataFields["age"]);
            Assert.Equal(1, reopened.GetStats().Records);
        }

        var otherDimension = HybridIndexOptions.Default.WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(8, VectorSimilarity.Cosine) { Embedder = "test-image" });
        Assert.Equal(IndexFieldNames.ImageVector, Assert.Throws<EmbedderMismatchException>(() => HybridIndex.Open(IndexPath, otherDimension)).Field);
        var otherModel = HybridIndexOptions.Default.WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(4, VectorSimilarity.Cosine) { Embedder = "other" });
        Assert.Contains("'test-image'", Assert.Throws<EmbedderMismatchException>(() => HybridIndex.Open(IndexPath, otherModel)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyIndexSeesCommitsAfterRefreshAndCannotWrite()
    {
        using var writer = HybridIndex.Open(IndexPath, Options);
        writer.Upsert(Record("case-1", 1));
        writer.Commit();
        using var reader = HybridIndex.OpenReadOnly(IndexPath);
        Assert.Equal(1, reader.GetStats().Records);
        writer.Upsert(Record("case-2", 1));
        writer.Commit();
        Assert.Equal(1, reader.GetStats().Records);
        reader.Refresh();
        Assert.Equal(2, reader.GetStats().Records);
        Assert.Throws<InvalidOperationException>(() => reader.Upsert(Record("case-3", 0)));
        Assert.Throws<DirectoryNotFoundException>(() => HybridIndex.OpenReadOnly(_temp.Combine("missing")));
    }

    [Fact]
    public void FiltersApplyInsideKnnThroughCopiedMetadata()
    {
        using var index = HybridIndex.Open(IndexPath, Options);
        index.Upsert(Record("ct-1", 2, "CT"));
        index.Upsert(Record("mr-1", 2, "MR"));
        index.Refresh();
        using var lease = index.AcquireSearcher();
        var filter = new TermQuery(new Term(IndexFieldNames.Metadata("modality"), "MR"));
        var hits = lease.Searcher.Search(new KnnVectorQuery(IndexFieldNames.ImageVector, [1f, 0f, 0f, 0f], 10, filter), 10);
        Assert.Equal(2, hits.TotalHits);
        Assert.All(hits.ScoreDocs, sd => Assert.Equal("mr-1", lease.Searcher.Doc(sd.Doc).Get(IndexFieldNames.Parent)));
        var ages = NumericRangeQuery.NewDoubleRange(IndexFieldNames.Metadata("age"), 60, 80, true, true);
        Assert.Equal(8, lease.Searcher.Search(ages, 10).TotalHits); // 2 records, each with 2 images and 1 segment carrying the copy
        var agedRecords = new BooleanQuery { { ages, Occur.MUST }, { new TermQuery(new Term(IndexFieldNames.Kind, "record")), Occur.MUST } };
        Assert.Equal(2, lease.Searcher.Search(agedRecords, 10).TotalHits);
    }

    [Fact]
    public async Task SearchesRunWhileIngesting()
    {
        const int readerCount = 3;
        using var index = HybridIndex.Open(IndexPath, Options);
        // The writer starts only once every reader has searched, so no reader can finish without having run.
        using var readersStarted = new CountdownEvent(readerCount);
        var writer = Task.Run(() =>
        {
            Assert.True(readersStarted.Wait(TimeSpan.FromSeconds(60)), "the readers did not start");
            for (var i = 0; i < 200; i++)
            {
                index.Upsert(Record("case-" + i, 2));
                if (i % 20 == 0)
                {
                    index.Refresh();
                }
            }
        });
        var iterations = new int[readerCount];
        var readers = Enumerable.Range(0, readerCount).Select(r => Task.Run(() =>
        {
            var previousRecords = 0;
            do
            {
                using var lease = index.AcquireSearcher();
                var records = lease.Searcher.Search(new TermQuery(new Term(IndexFieldNames.Kind, "record")), 1).TotalHits;
                var hits = lease.Searcher.Search(new KnnVectorQuery(IndexFieldNames.ImageVector, [1f, 0.5f, 0f, 0f], 5), 5).ScoreDocs;
                // Every record carries two images, so a point-in-time searcher sees min(5, 2 × its records) image hits,
                // each the image of a record it sees; and records only arrive, so the count never goes back.
                Assert.Equal(Math.Min(5, 2 * records), hits.Length);
                Assert.All(hits, hit => Assert.Equal(1, lease.Searcher.Search(new BooleanQuery
                {
                    { new TermQuery(new Term(IndexFieldNames.Kind, "record")), Occur.MUST },
                    { new TermQuery(new Term(IndexFieldNames.Parent, lease.Searcher.Doc(hit.Doc).Get(IndexFieldNames.Parent))), Occur.MUST },
                }, 1).TotalHits));
                Assert.True(records >= previousRecords, $"reader {r} saw {records} records after {previousRecords}");
                previousRecords = records;
                if (++iterations[r] == 1)
                {
                    readersStarted.Signal();
                }
            }
            while (!writer.IsCompleted);
        })).ToArray();
        await Task.WhenAll([writer, .. readers]);
        Assert.All(iterations, count => Assert.True(count > 0));
        index.Refresh();
        Assert.Equal(200, index.GetStats().Records);
    }
}
