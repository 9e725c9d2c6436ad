using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Tests.Cli;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Indexing;

/// <summary>One writer per index (the cross-process half is in <c>Cli/CliProcessTests</c>, with real processes).</summary>
public sealed class IndexWriterLockTests : IDisposable
{
    private static readonly HybridIndexOptions Options = HybridIndexOptions.Default
        .WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(4, VectorSimilarity.Cosine) { Embedder = "test-image" });

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ASecondWriterIsRefusedAtOnceNamingTheIndexAndTheHolder()
    {
        var path = _temp.Combine("index");
        using var writer = HybridIndex.Open(path, Options);
        writer.Upsert(new IndexedRecord("a", "Alpha", "first"));
        writer.Commit();

        var refused = Assert.Throws<IndexLockedException>(() => HybridIndex.Open(path, Options));
        Assert.Equal(path, refused.IndexDirectory);
        Assert.Equal(Environment.ProcessId, refused.HolderProcessId);
        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"process {Environment.ProcessId}", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<HybridSearchException>(refused);
    }

    [Fact]
    public void ReadersOpenWhileAWriterHoldsTheLockAndTheLockIsReleasedOnDispose()
    {
        var path = _temp.Combine("index");
        using (var writer = HybridIndex.Open(path, Options))
        {
            writer.Upsert(new IndexedRecord("a", "Alpha", "first"));
            writer.Commit();
            using var reader = HybridIndex.OpenReadOnly(path);
            Assert.Equal(1, reader.GetStats().Records);
        }

        using var next = HybridIndex.Open(path, Options);
        next.Upsert(new IndexedRecord("b", "Beta", "second"));
        next.Commit();
        next.Refresh();
        Assert.Equal(2, next.GetStats().Records);
    }

    [Fact]
    public async Task TheCliDeleteIsRefusedWithExit1WhileAWriterHoldsTheIndex()
    {
        var path = _temp.Combine("index");
        using var writer = HybridIndex.Open(path, Options);
        writer.Upsert(new IndexedRecord("a", "Alpha", "first"));
        writer.Commit();

        var run = await CliRun.RunAsync("delete", "--index", path, "--id", "a");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: index '{path}' is locked by another writer (process {Environment.ProcessId}); an index has one writer at a time. Wait for it to finish, or search it read-only meanwhile.", Assert.Single(run.ErrorLines));
        writer.Refresh();
        Assert.Equal(1, writer.GetStats().Records); // nothing was deleted
    }
}
