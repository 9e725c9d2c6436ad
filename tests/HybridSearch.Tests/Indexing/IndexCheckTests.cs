using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Tests.Cli;
using HybridSearch.Vectors;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Tests.Indexing;

/// <summary><see cref="HybridIndex.Check"/>, <see cref="IndexCorruptException"/> and <c>hybridsearch check</c> on
/// real indexes with real damage.</summary>
public sealed class IndexCheckTests : IDisposable
{
    private static readonly HybridIndexOptions Options = HybridIndexOptions.Default
        .WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(4, VectorSimilarity.Cosine) { Embedder = "test-image" });

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string BuildIndex()
    {
        var path = _temp.Combine("index");
        using var index = HybridIndex.Open(path, Options);
        for (var i = 0; i < 40; i++)
        {
            var images = Enumerable.Range(0, 2).Select(j => new IndexedImage($"img/{i}-{j}.png", $"caption {i} {j}", new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = [1, i, j, 0.5f] }));
            index.Upsert(new IndexedRecord($"rec-{i}", $"Title {i}", $"some text about item {i} and its story", null, images));
        }

        index.Commit();
        return path;
    }

    private static void FlipByte(string file, long offset)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0xFF));
    }

    [Fact]
    public async Task ACleanIndexChecksCleanInTheLibraryAndTheCli()
    {
        var path = BuildIndex();
        var report = HybridIndex.Check(path);
        Assert.True(report.IsClean, string.Join("; ", report.Problems));
        Assert.Equal(40, report.Records);
        Assert.Equal(120, report.Documents);

        var run = await CliRun.RunAsync("check", "--index", path, "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"clean\":true", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    public async Task AFlippedByteInsideTheSegmentIsNamedByCheckAndByWhateverReadsIt(double where)
    {
        var path = BuildIndex();
        var file = System.IO.Directory.GetFiles(path, "*.cfs").Single(); // one flush: one compound segment file
        FlipByte(file, (long)(new FileInfo(file).Length * where));
        var name = Path.GetFileName(file);

        var report = HybridIndex.Check(path);
        Assert.False(report.IsClean);
        Assert.Contains(name, report.DamagedFiles);

        var check = await CliRun.RunAsync("check", "--index", path);
        Assert.Equal(4, check.ExitCode);
        Assert.Contains(name, check.Out, StringComparison.Ordinal);
        Assert.Contains("restore", check.Out, StringComparison.Ordinal);

        // Opening verifies small files only; whatever first touches the damage reports it as corruption, naming the file.
        try
        {
            using var index = HybridIndex.OpenReadOnly(path);
            using var lease = index.AcquireSearcher();
            for (var doc = 0; doc < lease.Searcher.IndexReader.MaxDoc; doc++)
            {
                lease.Searcher.Doc(doc);
            }

            index.GetStats();
        }
        catch (Exception exception)
        {
            var corrupt = Assert.IsType<IndexCorruptException>(exception);
            Assert.Contains(name, corrupt.Files);
        }
    }

    [Fact]
    public async Task ADamagedSegmentInfoMakesOpenThrowIndexCorruptExceptionNamingItAndTheCliExit4()
    {
        var path = BuildIndex();
        var si = System.IO.Directory.GetFiles(path, "*.si").First();
        FlipByte(si, new FileInfo(si).Length / 2);

        var error = Assert.Throws<IndexCorruptException>(() => HybridIndex.OpenReadOnly(path));
        Assert.Contains(Path.GetFileName(si), error.Files);
        Assert.Equal(path, error.IndexDirectory);

        var stats = await CliRun.RunAsync("stats", "--index", path);
        Assert.Equal(4, stats.ExitCode);
        Assert.StartsWith("index corrupt:", stats.Error, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(si), stats.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrphanChildIsReportedWithItsRecord()
    {
        var path = BuildIndex();
        HybridCodec.Register();
        using (var directory = FSDirectory.Open(path))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())))
        {
            writer.AddDocument(new Document
            {
                new StringField(IndexFieldNames.Id, "ghost#image/0", Field.Store.YES),
                new StringField(IndexFieldNames.Parent, "ghost", Field.Store.YES),
                new StringField(IndexFieldNames.Kind, "image", Field.Store.YES),
            });
            writer.Commit();
        }

        var report = HybridIndex.Check(path);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("ghost", problem.RecordId);
        Assert.Contains("orphan", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckOfAMissingIndexIsAUserError()
    {
        var run = await CliRun.RunAsync("check", "--index", _temp.Combine("missing"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no index at", run.Error, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => HybridIndex.Check(_temp.Combine("missing")));
    }
}
