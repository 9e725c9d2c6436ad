using System.CommandLine;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Vectors;

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
        var folder = new Option<string>("--folder", "-f") { Description = "A folder to walk: images, audio with .srt/.vtt sidecars, .txt/.md/.json records, DICOM studies.", HelpName = "DIR" };
        var allowPaths = new Option<string[]>("--allow-path")
        {
            Description = "A directory outside the manifest's folder (or --folder DIR) that media and transcript paths may also point into (repeat for several). By default every path must resolve, links followed, inside that folder.",
            HelpName = "DIR",
        };
        var models = ModelOptions.Create();
        var commitEvery = new Option<int>("--commit-every")
        {
            Description = "Commit after this many records (a crash loses at most this many).",
            DefaultValueFactory = _ => 500,
            HelpName = "N",
        };
        CommonOptions.AddRangeValidator(commitEvery, 1, 1_000_000);
        var dicomGroup = new Option<string>("--dicom-group")
        {
            Description = "DICOM folders: one record per study (StudyInstanceUID) or per series (SeriesInstanceUID).",
            DefaultValueFactory = _ => "study",
            HelpName = "study|series",
        };
        dicomGroup.AcceptOnlyFromAmong("study", "series");
        var dicomFrames = new Option<string>("--dicom-frames")
        {
            Description = "Frames of multi-frame DICOM files that become images: all, middle, or a frame number from 1.",
            DefaultValueFactory = _ => "middle",
            HelpName = "all|middle|N",
        };
        dicomFrames.Validators.Add(result =>
        {
            try
            {
                DicomFrameSelection.Parse(result.GetValueOrDefault<string>() ?? "middle");
            }
            catch (FormatException error)
            {
                result.AddError(error.Message);
            }
        });
        var dicomKeepPhi = new Option<bool>("--dicom-keep-phi")
        {
            Description = "Also store and index patient name, ID, birth date, accession number, institution and referring physician (off by default).",
        };
        var quantize = new Option<string>("--quantize")
        {
            Description = "Vector fields' graph walk: none (float vectors) or int8 (7-bit quantized copies, best candidates re-scored with the floats; ~4x less memory read per hop). Default: what the index records (none for a new index).",
            HelpName = "none|int8",
        };
        quantize.AcceptOnlyFromAmong("none", "int8");
        var cluster = ClusterOptions.Cluster();
        var shards = new Option<int>("--shards") { Description = "With --cluster: the shards of a new logical index (fixed at creation; ignored when it exists).", DefaultValueFactory = _ => 3, HelpName = "S" };
        CommonOptions.AddRangeValidator(shards, 1, 1024);
        var command = new Command("index", "Index a manifest or a folder: decode, transcribe and embed images, audio and text, with a progress bar and a summary of failures.")
        {
            index,
            cluster,
            shards,
            manifest,
            folder,
            commitEvery,
            quantize,
            allowPaths,
            dicomGroup,
            dicomFrames,
            dicomKeepPhi,
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
            var dicom = new DicomIngestionOptions
            {
                Grouping = parseResult.GetValue(dicomGroup) == "series" ? DicomGrouping.Series : DicomGrouping.Study,
                Frames = DicomFrameSelection.Parse(parseResult.GetValue(dicomFrames) ?? "middle"),
                KeepPhi = parseResult.GetValue(dicomKeepPhi),
            };
            var source = CreateSource(parseResult.GetValue(manifest), parseResult.GetValue(folder), parseResult.GetValue(allowPaths) ?? [], dicom);
            var indexPath = Path.GetFullPath(parseResult.GetRequiredValue(index));
            using var configured = models.CreatePipelineOptions(parseResult);
            var options = configured.Options with { CommitEvery = parseResult.GetValue(commitEvery), Dicom = dicom };
            using var pipeline = new IngestionPipeline(options);
            if (parseResult.GetValue(cluster) is { } clusterUrl)
            {
                return await ClusterCommands.IndexAsync(console, clusterUrl, parseResult.GetRequiredValue(index), parseResult.GetValue(shards), pipeline, source, cancellationToken).ConfigureAwait(false);
            }

            IngestionSummary summary;
            try
            {
                var quantization = parseResult.GetValue(quantize) switch
                {
                    "int8" => VectorQuantization.Int8,
                    "none" => VectorQuantization.None,
                    _ => (VectorQuantization?)null,
                };
                summary = await IndexingRunner.RunAsync(console, pipeline, source, indexPath, cancellationToken, quantization).ConfigureAwait(false);
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

    /// <summary>The record source, after checking that the manifest (a regular file) or the folder exists and that
    /// every allowed directory exists.</summary>
    internal static IRecordSource CreateSource(string? manifest, string? folder, IReadOnlyList<string> allowedDirectories, DicomIngestionOptions? dicom = null)
    {
        foreach (var allowed in allowedDirectories)
        {
            if (!Directory.Exists(allowed))
            {
                throw new CliUserException($"--allow-path '{allowed}' is not a directory.");
            }
        }

        if (manifest is not null)
        {
            var kind = FileKinds.Of(manifest);
            return kind switch
            {
                FileKind.RegularFile => new ManifestReader(manifest, new ManifestReaderOptions { AllowedDirectories = allowedDirectories }),
                FileKind.Missing => throw new CliUserException($"manifest '{manifest}' does not exist."),
                FileKind.Directory => throw new CliUserException($"manifest '{manifest}' is a directory; use --folder to index a folder."),
                _ => throw new CliUserException($"manifest '{manifest}' is {FileKinds.Describe(kind)}, not a regular file."),
            };
        }

        var folderKind = FileKinds.Of(folder!);
        return folderKind switch
        {
            FileKind.Directory => new FolderRecordSource(folder!, new FolderIngestionOptions { AllowedDirectories = allowedDirectories, Dicom = dicom ?? DicomIngestionOptions.Default }),
            FileKind.Missing => throw new CliUserException($"folder '{folder}' does not exist."),
            _ => throw new CliUserException($"folder '{folder}' is {FileKinds.Describe(folderKind)}, not a directory; use --manifest for a manifest file."),
        };
    }
}
