using System.CommandLine;
using HybridSearch.Ingestion;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch index</c>: ingests a manifest or a folder into an index (created when absent), with
/// progress, and prints a summary of indexed and failed items; exit code 2 when some items failed.</summary>
internal static class IndexCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index("The index directory (created when absent; records with an existing id are replaced).");
        var manifest = new Option<string>("--manifest", "-m") { Description = "A manifest: one JSON record a line (see README, 'Manifest format').", HelpName = "FILE.jsonl" };
        var folder = new Option<string>("--folder", "-f") { Description = "A folder to walk: images, audio with .srt/.vtt sidecars, .txt/.md/.json records.", HelpName = "DIR" };
        var models = ModelOptions.Create();
        var commitEvery = new Option<int>("--commit-every")
        {
            Description = "Commit after this many records (a crash loses at most this many).",
            DefaultValueFactory = _ => 500,
            HelpName = "N",
        };
        CommonOptions.AddRangeValidator(commitEvery, 1, 1_000_000);
        var command = new Command("index", "Index a manifest or a folder: decode, transcribe and embed images, audio and text, with a progress bar and a summary of failures.")
        {
            index,
            manifest,
            folder,
            commitEvery,
        };
        models.AddTo(command);
        command.Validators.Add(result =>
        {
            var hasManifest = result.GetResult(manifest) is not null;
            var hasFolder = result.GetResult(folder) is not null;
            if (hasManifest == hasFolder)
            {
                result.AddError("give exactly one of --manifest FILE.jsonl or --folder DIR.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var source = CreateSource(parseResult.GetValue(manifest), parseResult.GetValue(folder));
            var indexPath = Path.GetFullPath(parseResult.GetRequiredValue(index));
            using var configured = models.CreatePipelineOptions(parseResult);
            var options = configured.Options.WithCommitEvery(parseResult.GetValue(commitEvery));
            using var pipeline = new IngestionPipeline(options);
            IngestionSummary summary;
            try
            {
                summary = await IndexingRunner.RunAsync(console, pipeline, source, indexPath, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestionCanceledException cancelled)
            {
                // Ctrl-C: what was upserted is committed; say so, with the usual summary.
                IndexingRunner.ReportSummary(console, cancelled.Summary, indexPath);
                console.Error.WriteLine($"interrupted: the {cancelled.Summary.Indexed} records indexed so far are committed; run the same command again to index the rest.");
                return ExitCodes.Cancelled;
            }

            return IndexingRunner.ReportSummary(console, summary, indexPath);
        });
        return command;
    }

    /// <summary>The record source, after checking that the manifest or folder exists.</summary>
    internal static IRecordSource CreateSource(string? manifest, string? folder)
    {
        if (manifest is not null)
        {
            if (Directory.Exists(manifest))
            {
                throw new CliUserException($"manifest '{manifest}' is a directory; use --folder to index a folder.");
            }

            return File.Exists(manifest)
                ? new ManifestReader(manifest)
                : throw new CliUserException($"manifest '{manifest}' does not exist.");
        }

        return Directory.Exists(folder)
            ? new FolderRecordSource(folder)
            : throw new CliUserException($"folder '{folder}' does not exist.");
    }
}
