using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Querying;
using HybridSearch.Tests.Embedding;
using HybridSearch.Vectors;
using NAudio.Wave;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Ingestion.Pipeline;

public sealed class IngestionPipelineTests : IClassFixture<PipelineModels>, IDisposable
{
    private readonly PipelineModels _models;
    private readonly IngestionFixtures _files = new();

    public IngestionPipelineTests(PipelineModels models) => _models = models;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task BrokenCorpusReportsEveryBadItemWithPathAndReasonAndIndexesEveryGoodItem()
    {
        var red = SaveImage("media/red.png", TestImages.SquareOnGrey(new Rgb24(220, 30, 30), 0));
        var stripes = SaveImage("media/stripes.jpg", TestImages.BlueStripes());
        var empty = _files.WriteBytes("media/empty.png", []);
        var truncatedJpeg = _files.WriteBytes("media/truncated.jpg", Half(IngestionFixtures.JpegBytes(64, 48)));
        var truncatedPng = _files.WriteBytes("media/truncated.png", Half(IngestionFixtures.PngBytes(64, 48)));
        var textAsPng = _files.WriteText("media/notes.png", "this is a text file, not a picture\n");
        var bomb = _files.WriteBytes("media/bomb.png", IngestionFixtures.PngHeaderOnly(60000, 60000));
        var notAudio = _files.WriteText("media/speech.wav", "RIFF? no, just text pretending to be audio\n");
        var clip = _files.WriteWav("media/clip.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(440, 16000, 2));
        _files.WriteText("media/clip.srt", "1\n00:00:00,000 --> 00:00:01,000\nhello harbour\n\n2\n00:00:01,000 --> 00:00:02,000\nlighthouse keeper\n");
        var manifest = WriteManifest(
            Line(new { id = "red", title = "Red square", images = new[] { "media/red.png" } }),
            Line(new { id = "stripes", title = "Stripes", text = "blue and white", images = new[] { "media/stripes.jpg", "media/empty.png" } }),
            Line(new { id = "wreck", title = "Wreck", text = "nothing here decodes", images = new[] { "media/truncated.jpg", "media/truncated.png", "media/notes.png", "media/bomb.png" } }),
            "{\"id\": \"half-a-line\", \"title\": ",
            Line(new { id = "talk", title = "Talk", audio = new object[] { new { path = "media/clip.wav", transcript = "media/clip.srt" }, "media/speech.wav" } }),
            Line(new { id = "red", title = "Red again" }));
        var progress = new RecordingProgress();

        using var pipeline = new IngestionPipeline(_models.Options(batchSize: 2));
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        var summary = await pipeline.RunAsync(new ManifestReader(manifest), index, progress);

        Assert.Equal(6, summary.Items);
        Assert.Equal(4, summary.Indexed);
        Assert.Equal(5, summary.Failed); // stripes, wreck, the bad line, talk, the duplicate; only "red" went in whole
        AssertFailure(summary, empty, null, "EmptyFile", "stripes", indexed: true);
        AssertFailure(summary, truncatedJpeg, null, "Truncated", "wreck", indexed: true);
        AssertFailure(summary, truncatedPng, null, "Truncated", "wreck", indexed: true);
        AssertFailure(summary, textAsPng, null, "UnsupportedFormat", "wreck", indexed: true);
        AssertFailure(summary, bomb, null, "TooLarge", "wreck", indexed: true);
        AssertFailure(summary, notAudio, null, "UnsupportedFormat", "talk", indexed: true);
        AssertFailure(summary, manifest, 4, "malformed JSON", null, indexed: false);
        AssertFailure(summary, manifest, 6, "duplicate id 'red'", null, indexed: false);
        Assert.Equal(8, summary.Failures.Count);

        // Every good item is searchable: counts, ids, parents, the transcript, and kNN with a good image's vector.
        var stats = index.GetStats();
        Assert.Equal(4, stats.Records);
        Assert.Equal(2, stats.Images);
        Assert.Equal(2, stats.TranscriptSegments);
        Assert.Equal(4, stats.Chunks); // one short title+text window per record
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Id, "wreck"));
        Assert.Equal(0, IndexProbe.Children(index, "wreck", "image"));
        Assert.Equal(1, IndexProbe.Children(index, "stripes", "image"));
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Path, stripes));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Path, empty));
        Assert.Equal(2, IndexProbe.Children(index, "talk", "segment"));
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Title, "red"));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Title, "again")); // the duplicate did not replace it
        var redVector = EmbedFile(red);
        var nearest = IndexProbe.Nearest(index, IndexFieldNames.ImageVector, redVector, 2);
        Assert.Equal(("red#image/0", red, "red"), nearest[0]);
        Assert.Equal("stripes", nearest[1].Parent);
        Assert.Equal(2, IndexProbe.WithTerm(index, IndexFieldNames.Path, clip));

        AssertMonotoneAndComplete(progress.Reports, summary);
    }

    [Fact]
    public async Task ALongRecordReportsProgressWhileItsTextChunksAreEmbedded()
    {
        // About 40 MiniLM windows: more than one model run (32 windows a run), short enough for a unit test. Windows of 16
        // word pieces make it a text of a few hundred words (with the default 256, 9,000 words and seconds of inference).
        var words = new[] { "harbour", "lighthouse", "keeper", "storm", "morning", "bulletin", "tide", "anchor", "rope", "gull" };
        var text = string.Join(' ', Enumerable.Range(0, 480).Select(i => words[(i * 7) % words.Length]));
        var manifest = WriteManifest(
            Line(new { id = "short-1", title = "Short" }),
            Line(new { id = "long", title = "Long", text }),
            Line(new { id = "short-2", title = "Short too" }));
        var progress = new RecordingProgress();

        using var pipeline = new IngestionPipeline(_models.Options(batchSize: 8).WithTextEmbedder(TestModels.SmallWindowText));
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        var summary = await pipeline.RunAsync(new ManifestReader(manifest), index, progress);

        Assert.Equal(3, summary.Indexed);
        var chunkReports = progress.Reports.Where(report => report.Chunks is not null).ToList();
        Assert.True(chunkReports.Count >= 2, $"{chunkReports.Count} chunk reports");
        Assert.All(chunkReports, report => Assert.Equal("long", report.CurrentItem));
        var windows = chunkReports[^1].Chunks!.Total;
        Assert.InRange(windows, 33, 80);
        Assert.Equal(windows, chunkReports[^1].Chunks!.Embedded);
        Assert.Equal(chunkReports.Select(report => report.Chunks!.Embedded).Order(), chunkReports.Select(report => report.Chunks!.Embedded));
        Assert.Equal(windows, index.GetStats().Chunks); // the short records' windows were in the same call
        AssertMonotoneAndComplete(progress.Reports, summary);
    }

    [Fact]
    public async Task StoredImageVectorsEqualTheEmbeddersVectorsOfTheOriginalFiles()
    {
        var jpeg = SaveImage("photo.jpg", TestImages.Noise(300, 180, seed: 7));
        var png = SaveImage("tall.png", TestImages.SquareOnGrey(new Rgb24(10, 200, 60), 9));
        var manifest = WriteManifest(Line(new { id = "both", images = new[] { "photo.jpg", "tall.png" } }));

        using var pipeline = new IngestionPipeline(_models.Options().WithoutTextEmbedding());
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        var summary = await pipeline.RunAsync(new ManifestReader(manifest), index);
        Assert.Empty(summary.Failures);

        // The resize done ahead on the decode workers must not change a single bit of what the model sees.
        Assert.Equal(EmbedFile(jpeg), IndexProbe.StoredVector(index, IndexFieldNames.ImageVector, "both#image/0")!, new FloatTolerance(1e-6f));
        Assert.Equal(EmbedFile(png), IndexProbe.StoredVector(index, IndexFieldNames.ImageVector, "both#image/1")!, new FloatTolerance(1e-6f));
        Assert.False(index.VectorFields.ContainsKey(IndexFieldNames.TextVector));
        Assert.Equal(0, index.GetStats().Chunks);
    }

    [Fact]
    public async Task ACaptionIsEmbeddedOnItsImageSoTheSemanticLegFindsTheImageByMeaning()
    {
        SaveImage("dog.png", TestImages.SquareOnGrey(new Rgb24(200, 160, 90), 3));
        SaveImage("tower.png", TestImages.BlueStripes());
        var manifest = WriteManifest(
            Line(new { id = "walk", title = "IMG_2041", images = new[] { new { path = "dog.png", caption = "A puppy running after a ball on the sand" } } }),
            Line(new { id = "trip", title = "IMG_2042", images = new[] { new { path = "tower.png", caption = "An old stone lighthouse above the harbour" } } }));

        using var pipeline = new IngestionPipeline(_models.Options());
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        Assert.Empty((await pipeline.RunAsync(new ManifestReader(manifest), index)).Failures);

        Assert.Equal(_models.Text.Embed(["A puppy running after a ball on the sand"])[0],
            IndexProbe.StoredVector(index, IndexFieldNames.TextVector, "walk#image/0")!, new FloatTolerance(1e-6f));

        // No word in common with the caption: only its meaning can find it.
        var searcher = new HybridSearcher(index, _models.Text);
        var results = await searcher.SearchAsync(HybridQuery.ForText("young dog playing at the beach"),
            HybridSearchOptions.Default.WithLegs(SearchLeg.SemanticText));
        var top = results.Hits[0];
        Assert.Equal("walk", top.RecordId);
        Assert.Equal(DocumentKind.Image, top.Legs.Single().MatchedKind);
        Assert.EndsWith("dog.png", top.BestMedia?.Path, StringComparison.Ordinal);
        Assert.Equal("A puppy running after a ball on the sand", top.Snippet);
    }

    [Fact]
    public void ResNet18PreparationGivesBitIdenticalVectors()
    {
        using var original = TestImages.Noise(333, 201, seed: 3);
        using var prepared = EmbedderImagePreparation.ResNet18()(original);

        Assert.Equal(224, prepared.Width);
        Assert.Equal(224, prepared.Height);
        var vectors = _models.Images.Embed([original, prepared]);
        Assert.Equal(vectors[0], vectors[1]);
    }

    [Fact]
    public async Task CommitsEveryNRecordsSoAnotherReaderSeesThemAndCommitsTheTailAtTheEnd()
    {
        var manifest = WriteManifest(Enumerable.Range(1, 7).Select(i => Line(new { id = $"note-{i}", title = $"Note {i}", text = "harbour lights" })).ToArray());
        var indexPath = _files.PathOf("index");
        var committedAtReport = new List<int>();
        var progress = new RecordingProgress(report =>
        {
            if (report.CurrentItem is not null)
            {
                committedAtReport.Add(CommittedRecords(indexPath));
            }
        });

        using var pipeline = new IngestionPipeline(_models.Options(commitEvery: 3));
        using (var index = HybridIndex.Open(indexPath, pipeline.CreateIndexOptions()))
        {
            var summary = await pipeline.RunAsync(new ManifestReader(manifest), index, progress);
            Assert.Equal(7, summary.Indexed);

            // After the run, before the writer is closed: everything is committed.
            Assert.Equal(7, CommittedRecords(indexPath));
        }

        // Item i is reported after its upsert and any commit it triggered: floor(i / 3) * 3 records are durable.
        Assert.Equal([0, 0, 3, 3, 3, 6, 6], committedAtReport);
        AssertMonotoneAndComplete(progress.Reports, null);
    }

    [Fact]
    public async Task CancellationCommitsWhatWasUpsertedAndThrows()
    {
        var manifest = WriteManifest(Enumerable.Range(1, 10).Select(i => Line(new { id = $"n{i}", title = $"Note {i}" })).ToArray());
        var indexPath = _files.PathOf("index");
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(report =>
        {
            if (report.Done == 3)
            {
                cancellation.Cancel();
            }
        });

        using var pipeline = new IngestionPipeline(_models.Options(commitEvery: 100));
        using (var index = HybridIndex.Open(indexPath, pipeline.CreateIndexOptions()))
        {
            var cancelled = await Assert.ThrowsAsync<IngestionCanceledException>(() => pipeline.RunAsync(new ManifestReader(manifest), index, progress, cancellation.Token));
            Assert.Equal(3, cancelled.Summary.Indexed); // the summary says what was committed
            Assert.Equal(3, CommittedRecords(indexPath));

            // The pipeline and the index stay usable: a new run finishes the job.
            var summary = await pipeline.RunAsync(new ManifestReader(manifest), index);
            Assert.Equal(10, summary.Indexed);
        }

        Assert.Equal(10, CommittedRecords(indexPath));
        Assert.Equal(3, progress.Reports.Count);
    }

    [Fact]
    public async Task ARunCancelledBeforeItStartsIndexesNothing()
    {
        var manifest = WriteManifest(Line(new { id = "a", title = "A" }));
        using var pipeline = new IngestionPipeline(_models.Options());
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(new ManifestReader(manifest), index, cancellationToken: new CancellationToken(true)));

        index.Refresh();
        Assert.Equal(0, index.GetStats().Records);
    }

    [Fact]
    public async Task ReingestingARecordWithFewerImagesReplacesAllItsChildren()
    {
        var paths = new[]
        {
            SaveImage("a.png", TestImages.SquareOnGrey(new Rgb24(200, 20, 20), 0)),
            SaveImage("b.png", TestImages.BlueStripes()),
            SaveImage("c.png", TestImages.Noise(64, 64, seed: 1)),
        };
        var first = WriteNamedManifest("first.jsonl", Line(new { id = "album", title = "Album", images = new[] { "a.png", "b.png", "c.png" } }));
        var second = WriteNamedManifest("second.jsonl", Line(new { id = "album", title = "Album, trimmed", images = new[] { "b.png" } }));

        using var pipeline = new IngestionPipeline(_models.Options());
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        await pipeline.RunAsync(new ManifestReader(first), index);
        Assert.Equal(3, IndexProbe.Children(index, "album", "image"));

        await pipeline.RunAsync(new ManifestReader(second), index);

        Assert.Equal(1, IndexProbe.Children(index, "album", "image"));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Path, paths[0]));
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Path, paths[1]));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Path, paths[2]));
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Id, "album#image/0"));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Id, "album#image/1"));
        Assert.Equal(1, index.GetStats().Records);
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Title, "trim"));
        var nearest = IndexProbe.Nearest(index, IndexFieldNames.ImageVector, EmbedFile(paths[0]), 3);
        Assert.Single(nearest);
        Assert.Equal(paths[1], nearest[0].Path);
    }

    [Fact]
    public async Task ASecondImageEmbedderFillsTheClipImageVectorField()
    {
        var photo = SaveImage("photo.png", TestImages.Noise(200, 120, seed: 11));
        var folder = _files.PathOf("folder");
        Directory.CreateDirectory(folder);
        File.Copy(photo, Path.Combine(folder, "photo.png"));

        // A real second model (ResNet18 with stretch fitting) stands in for CLIP; the pipeline treats it as opaque.
        using var second = new HybridSearch.Embedding.ResNet18ImageEmbedder(new() { Fit = HybridSearch.Embedding.ImageFit.Stretch });
        using var pipeline = new IngestionPipeline(_models.Options().WithClipImageEmbedder(second));
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        await pipeline.RunAsync(new FolderRecordSource(folder), index);

        Assert.Equal("resnet18", index.VectorFields[IndexFieldNames.ClipImageVector].Embedder);
        using var decoded = new BoundedImageDecoder().Decode(photo);
        var expected = second.Embed([decoded.Image])[0];
        Assert.Equal(expected, IndexProbe.StoredVector(index, IndexFieldNames.ClipImageVector, "photo.png#image/0")!, new FloatTolerance(1e-6f));
        Assert.NotEqual(expected, IndexProbe.StoredVector(index, IndexFieldNames.ImageVector, "photo.png#image/0")!, new FloatTolerance(1e-6f));
    }

    [Fact]
    public async Task ManyRecordsWithIdenticalTitlesGiveAValidCommittedGraph()
    {
        // Folder ingestion names records after their files, so titles like "image_0001" repeat across folders and
        // their text vectors are identical. Such duplicates once produced a level-0 neighbour list naming a node twice
        // (found by the ingest benchmark), which the reader then rejected as a corrupt graph.
        var manifest = WriteManifest(Enumerable.Range(0, 400).Select(i => Line(new { id = $"r{i}", title = $"image_{i % 4:0000}" })).ToArray());
        var indexPath = _files.PathOf("index");
        using var pipeline = new IngestionPipeline(_models.Options(batchSize: 64));
        using (var index = HybridIndex.Open(indexPath, pipeline.CreateIndexOptions()))
        {
            var summary = await pipeline.RunAsync(new ManifestReader(manifest), index);
            Assert.Equal(0, summary.Failed);
        }

        using var reader = HybridIndex.OpenReadOnly(indexPath);
        Assert.Equal(400, reader.GetStats().Chunks);
        var query = _models.Text.Embed(["image_0002"])[0];
        var nearest = IndexProbe.Nearest(reader, IndexFieldNames.TextVector, query, 100);
        Assert.Equal(100, nearest.Count);
        Assert.All(nearest, hit => Assert.Equal(2, int.Parse(hit.Parent[1..], System.Globalization.CultureInfo.InvariantCulture) % 4));
    }

    [Fact]
    public async Task FolderIngestionReportsABrokenImageAndKeepsAudioWithoutTranscriptWithAWarning()
    {
        var folder = _files.PathOf("folder");
        SaveImage("folder/cats/good.png", TestImages.BlueStripes());
        var broken = _files.WriteBytes("folder/cats/broken.jpg", Half(IngestionFixtures.JpegBytes(80, 60)));
        var clip = _files.WriteWav("folder/voice/memo.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 1));
        _files.WriteText("folder/notes/readme.md", "# Harbour notes\nThe lighthouse keeper logs every ship.\n");

        using var pipeline = new IngestionPipeline(_models.Options());
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());
        var summary = await pipeline.RunAsync(new FolderRecordSource(folder), index);

        Assert.Equal(4, summary.Items);
        Assert.Equal(4, summary.Indexed);
        Assert.Equal(1, summary.Failed);
        AssertFailure(summary, broken, null, "Truncated", "cats/broken.jpg", indexed: true);
        Assert.Contains(summary.Warnings, warning => warning.Contains(clip, StringComparison.Ordinal));
        var stats = index.GetStats();
        Assert.Equal(4, stats.Records);
        Assert.Equal(1, stats.Images);
        Assert.Equal(0, stats.TranscriptSegments);
        Assert.Equal(1, IndexProbe.Children(index, "cats/good.png", "image"));
        Assert.Equal(0, IndexProbe.Children(index, "cats/broken.jpg", "image"));
        Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Text, "lighthous"));
    }

    [Fact]
    public async Task ASourceThatFailsMidwayFailsTheRunWithItsOwnError()
    {
        using var pipeline = new IngestionPipeline(_models.Options());
        using var index = HybridIndex.Open(_files.PathOf("index"), pipeline.CreateIndexOptions());

        var error = await Assert.ThrowsAsync<IOException>(() => pipeline.RunAsync(new FailingSource(3), index));

        Assert.Equal("disk went away after 3 records", error.Message);
        using var reader = HybridIndex.OpenReadOnly(_files.PathOf("index"));
        Assert.True(reader.GetStats().Records <= 3);
    }

    [Fact]
    public async Task AnIndexWithoutThePipelinesVectorFieldsOrReadOnlyIsRefusedBeforeAnythingIsRead()
    {
        using var pipeline = new IngestionPipeline(_models.Options());
        var source = new ManifestReader(_files.PathOf("does-not-exist.jsonl"));
        using (var bare = HybridIndex.Open(_files.PathOf("bare")))
        {
            var mismatch = await Assert.ThrowsAsync<SchemaMismatchException>(() => pipeline.RunAsync(source, bare));
            Assert.Equal(IndexFieldNames.ImageVector, mismatch.Field);
        }

        var other = HybridIndexOptions.Default.WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(512, VectorSimilarity.Cosine) { Embedder = "some-other-model" });
        using (var wrong = HybridIndex.Open(_files.PathOf("wrong"), other))
        {
            Assert.Contains("some-other-model", (await Assert.ThrowsAsync<EmbedderMismatchException>(() => pipeline.RunAsync(source, wrong))).Message, StringComparison.Ordinal);
        }

        using (HybridIndex.Open(_files.PathOf("ro"), pipeline.CreateIndexOptions()))
        {
        }

        using var readOnly = HybridIndex.OpenReadOnly(_files.PathOf("ro"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.RunAsync(source, readOnly));
    }

    private static void AssertMonotoneAndComplete(IReadOnlyList<IngestionProgress> reports, IngestionSummary? summary)
    {
        Assert.NotEmpty(reports);
        for (var i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Done >= reports[i - 1].Done, $"Done went from {reports[i - 1].Done} to {reports[i].Done}");
            Assert.True(reports[i].Failed >= reports[i - 1].Failed, $"Failed went from {reports[i - 1].Failed} to {reports[i].Failed}");
            Assert.True(reports[i].Done + reports[i].Failed - reports[i - 1].Done - reports[i - 1].Failed <= 1);
        }

        var last = reports[^1];
        Assert.NotNull(last.Total);
        Assert.Equal(last.Total, last.Done + last.Failed);
        if (summary is not null)
        {
            Assert.Equal(summary.Items, last.Total);
            Assert.Equal(summary.Failed, last.Failed);
        }
    }

    private static void AssertFailure(IngestionSummary summary, string path, int? line, string reason, string? recordId, bool indexed)
    {
        var matches = summary.Failures.Where(f => f.Path == path && f.Line == line).ToList();
        var failure = Assert.Single(matches);
        Assert.Contains(reason, failure.Reason, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.Equal(recordId, failure.RecordId);
        Assert.Equal(indexed, failure.RecordIndexed);
    }

    private static int CommittedRecords(string indexPath)
    {
        using var reader = HybridIndex.OpenReadOnly(indexPath);
        return reader.GetStats().Records;
    }

    private float[] EmbedFile(string path)
    {
        using var decoded = new BoundedImageDecoder().Decode(path);
        return _models.Images.Embed([decoded.Image])[0];
    }

    private string SaveImage(string relative, Image<Rgb24> image)
    {
        using (image)
        {
            using var stream = new MemoryStream();
            if (relative.EndsWith(".jpg", StringComparison.Ordinal))
            {
                image.SaveAsJpeg(stream);
            }
            else
            {
                image.SaveAsPng(stream);
            }

            return _files.WriteBytes(relative, stream.ToArray());
        }
    }

    private string WriteManifest(params string[] lines) => WriteNamedManifest("records.jsonl", lines);

    private string WriteNamedManifest(string name, params string[] lines) => _files.WriteText(name, string.Join("\n", lines) + "\n");

    private static string Line(object record) => JsonSerializer.Serialize(record);

    private static byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];

    private sealed class FailingSource(int recordsBeforeFailure) : IRecordSource
    {
        public IEnumerable<IngestionItem> ReadItems(CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < recordsBeforeFailure; i++)
            {
                yield return IngestionItem.FromRecord(new HybridSearch.Records.Record($"r{i}", $"Record {i}"));
            }

            throw new IOException($"disk went away after {recordsBeforeFailure} records");
        }
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
