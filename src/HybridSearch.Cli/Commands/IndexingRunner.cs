using HybridSearch.Cli.Output;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Vectors;
using Spectre.Console;

namespace HybridSearch.Cli.Commands;

/// <summary>Runs an ingestion pipeline into an index with progress on the console: a Spectre bar with rate and ETA
/// on a terminal, plain lines on standard error when output is redirected.</summary>
internal static class IndexingRunner
{
    /// <summary>Ingests <paramref name="source"/> into the index at <paramref name="indexPath"/> (created when absent).</summary>
    /// <param name="console">Where progress goes.</param>
    /// <param name="pipeline">The ingestion pipeline.</param>
    /// <param name="source">The records.</param>
    /// <param name="indexPath">The index directory.</param>
    /// <param name="cancellationToken">Stops the run (what was upserted is committed).</param>
    /// <param name="quantize">The vector fields' quantization (<c>--quantize</c>); null keeps what an existing index
    /// records (none for a new one).</param>
    public static async Task<IngestionSummary> RunAsync(CliConsole console, IngestionPipeline pipeline, IRecordSource source, string indexPath, CancellationToken cancellationToken, VectorQuantization? quantize = null)
    {
        using var index = HybridIndex.Open(indexPath, WithQuantization(pipeline.CreateIndexOptions(), indexPath, quantize));
        if (!console.IsTerminal)
        {
            return await pipeline.RunAsync(source, index, new PlainIngestionProgress(console.Error), cancellationToken).ConfigureAwait(false);
        }

        return await console.Ansi.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ItemRateColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("indexing", maxValue: 1);
                task.IsIndeterminate = true;
                var summary = await pipeline.RunAsync(source, index, new SpectreIngestionProgress(task), cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
                return summary;
            }).ConfigureAwait(false);
    }

    /// <summary>Prints the summary (indexed, failed, every failure with its reason, warnings) and returns the exit code.</summary>
    public static int ReportSummary(CliConsole console, IngestionSummary summary, string indexPath)
    {
        var seconds = summary.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        console.Out.WriteLine($"indexed {summary.Indexed} of {summary.Items} items into '{indexPath}' in {seconds} s; {summary.Failed} failed");
        foreach (var warning in summary.Warnings)
        {
            console.Out.WriteLine($"warning: {CliApplication.OneLine(warning)}");
        }

        if (summary.Failures.Count == 0 && summary.Failed == 0)
        {
            return ExitCodes.Success;
        }

        console.Out.WriteLine($"failed items ({summary.Failures.Count}):");
        foreach (var failure in summary.Failures)
        {
            var outcome = failure.RecordId is null ? "skipped" : failure.RecordIndexed ? $"record '{failure.RecordId}' indexed without this file" : $"record '{failure.RecordId}' not indexed";
            console.Out.WriteLine($"  {CliApplication.OneLine(failure.ToString())} [{outcome}]");
        }

        return ExitCodes.IngestionFailures;
    }

    /// <summary>The pipeline's options with every vector field quantized as asked, or as the existing index records.</summary>
    private static HybridIndexOptions WithQuantization(HybridIndexOptions options, string indexPath, VectorQuantization? quantize)
    {
        IReadOnlyDictionary<string, VectorFieldOptions>? stored = null;
        if (quantize is null)
        {
            if (!System.IO.Directory.Exists(indexPath) || !System.IO.Directory.EnumerateFiles(indexPath, "segments_*").Any())
            {
                return options;
            }

            using var existing = HybridIndex.OpenReadOnly(indexPath);
            stored = existing.VectorFields;
        }

        var result = options;
        foreach (var (name, field) in options.VectorFields)
        {
            var wanted = quantize ?? (stored!.TryGetValue(name, out var recorded) ? recorded.Quantization : field.Quantization);
            result = result.WithVectorField(name, field with { Quantization = wanted });
        }

        return result;
    }
}
