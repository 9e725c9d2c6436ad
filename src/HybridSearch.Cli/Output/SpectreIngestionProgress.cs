using HybridSearch.Ingestion.Pipeline;
using Spectre.Console;

namespace HybridSearch.Cli.Output;

/// <summary>Feeds pipeline progress into a Spectre.Console progress task (bar, rate, ETA). The task stays
/// indeterminate until the source has been read to its end and the total is known.</summary>
/// <param name="task">The task to update.</param>
internal sealed class SpectreIngestionProgress(ProgressTask task) : IProgress<IngestionProgress>
{
    /// <inheritdoc />
    public void Report(IngestionProgress value)
    {
        var processed = value.Done + value.Failed;
        if (value.Total is { } total)
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, total);
        }
        else if (processed >= task.MaxValue)
        {
            task.MaxValue = processed + 1;
        }

        task.Value = processed;
        var description = value.Failed > 0 ? $"indexing [red]({value.Failed} failed)[/]" : "indexing";
        if (value.Chunks is { } chunks)
        {
            // A long record: its text chunks are what is moving.
            description += $" [grey](text chunk {chunks.Embedded}/{chunks.Total} of {Markup.Escape(value.CurrentItem ?? "?")})[/]";
        }

        task.Description = description;
    }
}
