using HybridSearch.Indexing;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;

namespace HybridSearch.Tests.Ingestion.Pipeline;

/// <summary>
/// The bad-input corpus (<see cref="BadInputCorpus"/>) through the real pipeline with the real models: every bad item
/// is reported with its file (and line) and reason, every good record is indexed and searchable, nothing hangs, and
/// the index holds nothing from outside the manifest's folder.
/// </summary>
public sealed class BadInputCorpusTests : IClassFixture<PipelineModels>, IDisposable
{
    private readonly PipelineModels _models;
    private readonly TempDirectory _temp = new();

    public BadInputCorpusTests(PipelineModels models) => _models = models;

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task EveryBadItemIsReportedAndEveryGoodRecordIsIndexed()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the corpus has a FIFO and a link to /dev/zero");
        var corpus = BadInputCorpus.Write(_temp.Path);
        using var pipeline = new IngestionPipeline(_models.Options(batchSize: 4));
        using var index = HybridIndex.Open(_temp.Combine("index"), pipeline.CreateIndexOptions());

        var summary = await pipeline.RunAsync(new ManifestReader(corpus.Manifest), index).WaitAsync(TimeSpan.FromMinutes(5));

        var unexpected = summary.Failures.Where(failure => !corpus.Failures.Any(expected => Matches(expected, failure))).ToList();
        Assert.True(unexpected.Count == 0, "unexpected failures:\n" + string.Join('\n', unexpected));
        foreach (var expected in corpus.Failures)
        {
            var found = summary.Failures.Where(failure => Matches(expected, failure)).ToList();
            Assert.True(found.Count == 1, $"expected one failure for {expected}, found [{string.Join("; ", summary.Failures.Where(f => f.Path == expected.Path && f.Line == expected.Line))}]");
            Assert.Equal(expected.RecordId is not null, found[0].RecordIndexed);
            Assert.StartsWith(expected.Path, found[0].ToString(), StringComparison.Ordinal);
        }

        var lineErrors = corpus.Failures.Count(failure => failure.RecordId is null);
        Assert.Equal(corpus.Items, summary.Items);
        Assert.Equal(corpus.GoodIds.Count + corpus.IndexedWithProblems.Count, summary.Indexed);
        Assert.Equal(lineErrors + corpus.IndexedWithProblems.Count, summary.Failed);
        Assert.Equal(corpus.GoodIds.Count + corpus.IndexedWithProblems.Count, index.GetStats().Records);
        foreach (var id in corpus.GoodIds)
        {
            Assert.Equal(1, IndexProbe.WithTerm(index, IndexFieldNames.Id, id));
            Assert.DoesNotContain(summary.Failures, failure => failure.RecordId == id);
        }

        Assert.Equal(1, IndexProbe.Children(index, "good-image", "image"));
        Assert.Equal(1, IndexProbe.Children(index, "good-jpeg", "image"));
        Assert.Equal(2, IndexProbe.Children(index, "good-audio", "segment"));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Transcript, "swordfish"));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Text, "swordfish"));
        Assert.Equal(0, IndexProbe.WithTerm(index, IndexFieldNames.Id, "bad-escape"));
    }

    /// <summary>Writes the corpus where <c>HYBRIDSEARCH_BAD_CORPUS_DIR</c> says and keeps it, for
    /// <c>tests/bad-input-memory.sh</c> (peak memory of <c>hybridsearch index</c> on it against the clean manifest).</summary>
    [SkippableFact]
    public void WritesTheBadInputCorpusForTheMemoryMeasurementWhenAsked()
    {
        var target = Environment.GetEnvironmentVariable("HYBRIDSEARCH_BAD_CORPUS_DIR");
        Skip.If(string.IsNullOrEmpty(target), "set HYBRIDSEARCH_BAD_CORPUS_DIR to write the corpus there (tests/bad-input-memory.sh does)");

        var corpus = BadInputCorpus.Write(target);

        Assert.True(File.Exists(corpus.Manifest));
        Assert.True(File.Exists(corpus.CleanManifest));
    }

    private static bool Matches(BadInputCorpus.ExpectedFailure expected, IngestionFailure failure) =>
        expected.Path == failure.Path && expected.Line == failure.Line && expected.RecordId == failure.RecordId
        && failure.Reason.Contains(expected.Reason, StringComparison.Ordinal);
}
