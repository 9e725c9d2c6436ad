using HybridSearch.Cli.Output;
using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace HybridSearch.Tests.Cli;

public sealed class PlainIngestionProgressTests
{
    [Fact]
    public void ChunkReportsInsideALongRecordPrintLinesAlthoughTheCountsStayPut()
    {
        using var writer = new StringWriter();
        var clock = new FakeTimeProvider();
        var progress = new PlainIngestionProgress(writer, clock);

        progress.Report(new IngestionProgress(0, 1, 0, "big") { Chunks = new ChunkEmbeddingProgress(32, 758) });
        progress.Report(new IngestionProgress(0, 1, 0, "big") { Chunks = new ChunkEmbeddingProgress(48, 758) }); // within the second: no line
        clock.Advance(TimeSpan.FromMilliseconds(1100));
        progress.Report(new IngestionProgress(0, 1, 0, "big") { Chunks = new ChunkEmbeddingProgress(64, 758) });
        progress.Report(new IngestionProgress(1, 1, 0, "big"));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("; embedding 'big': text chunk 32/758", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("; embedding 'big': text chunk 64/758", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("indexed 1/1 (0 failed)", lines[2], StringComparison.Ordinal);
    }
}
