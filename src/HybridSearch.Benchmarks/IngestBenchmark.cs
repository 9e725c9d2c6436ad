using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>ingest (--manifest M.jsonl | --folder DIR) --index DIR [--allow-path DIR]... [--batch-size 32] [--commit-every 500] [--sample 128] [--text minilm|none] [--workers N]</c>:
/// runs the default <see cref="IngestionPipeline"/> (ResNet18 images, MiniLM text, sidecar/pocketsphinx transcripts)
/// end to end — read, decode, embed, index, commit — and, in the same process with the same embedder instance, the
/// image embedder's pure inference throughput: batches of <c>--batch-size</c> images already decoded and resized,
/// timed on a sample of the source's images before and after the ingest (the two timings are pooled, so load that
/// changes during the run affects both figures alike). Prints one JSON line last:
/// <c>{"items","failed","seconds","items_per_s","inference_items_per_s", ...}</c>.
/// </summary>
internal static class IngestBenchmark
{
    private static readonly Option<string> ManifestOption = BenchmarkOptions.ExistingFile("--manifest", "Manifest (.jsonl) of the records to ingest.", required: false);
    private static readonly Option<string> FolderOption = BenchmarkOptions.Text("--folder", "Folder of files to ingest.");
    private static readonly Option<string> IndexOption = BenchmarkOptions.Text("--index", "The index directory to write.", required: true);
    private static readonly Option<string[]> AllowPathOption = BenchmarkOptions.Repeated("--allow-path", "A directory manifest paths may point into (repeat).");
    private static readonly Option<int> BatchSizeOption = BenchmarkOptions.Int("--batch-size", 32, "Images per embedding batch.", min: 1);
    private static readonly Option<int> CommitEveryOption = BenchmarkOptions.Int("--commit-every", 500, "Records per commit.", min: 1);
    private static readonly Option<int?> SampleOption = BenchmarkOptions.OptionalInt("--sample", "Images timed through inference alone (default 4 batches).", min: 1);
    private static readonly Option<string> TextOption = BenchmarkOptions.Choice("--text", "minilm", "Text embedder", "minilm", "none");
    private static readonly Option<int?> WorkersOption = BenchmarkOptions.OptionalInt("--workers", "Pipeline workers (default one per core).", min: 1);

    public static Command CreateCommand()
    {
        var command = new Command("ingest", "Items per second through the ingestion pipeline, and through inference alone.")
        {
            ManifestOption, FolderOption, IndexOption, AllowPathOption, BatchSizeOption, CommitEveryOption, SampleOption, TextOption, WorkersOption,
        };
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    public static async Task RunAsync(ParseResult args)
    {
        var manifest = args.GetValue(ManifestOption);
        var folder = args.GetValue(FolderOption);
        if ((manifest is null) == (folder is null))
        {
            throw new BenchmarkArgumentException("give exactly one of --manifest M.jsonl or --folder DIR.");
        }

        var indexPath = args.GetRequiredValue(IndexOption);
        var batchSize = args.GetValue(BatchSizeOption);
        var commitEvery = args.GetValue(CommitEveryOption);
        var sampleSize = args.GetValue(SampleOption) ?? 4 * batchSize;
        var workers = args.GetValue(WorkersOption) ?? Environment.ProcessorCount;
        var text = args.GetRequiredValue(TextOption);

        // Manifest paths must stay inside the manifest's folder unless a directory is allowed, as for the CLI.
        var allowed = args.GetRequiredValue(AllowPathOption);
        IRecordSource source = manifest is not null
            ? new ManifestReader(manifest, new ManifestReaderOptions { AllowedDirectories = allowed })
            : new FolderRecordSource(folder!, new FolderIngestionOptions { AllowedDirectories = allowed });
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new BenchmarkArgumentException($"--folder: directory '{folder}' does not exist.");
        }

        using var embedder = new ResNet18ImageEmbedder(new ResNet18ImageEmbedderOptions { MaxBatchSize = batchSize });
        var preparation = EmbedderImagePreparation.ResNet18();
        var options = IngestionPipelineOptions.Default
            .WithImageEmbedder(embedder, preparation) with { BatchSize = batchSize, CommitEvery = commitEvery, DegreeOfParallelism = workers };
        if (text == "none")
        {
            options = options.WithoutTextEmbedding();
        }

        using var pipeline = new IngestionPipeline(options);

        Log("decoding an inference sample");
        var sample = DecodeSample(source, pipeline, preparation, sampleSize);
        try
        {
            // Warm up: ONNX Runtime plans and allocates on its first runs; neither figure should pay for that.
            if (sample.Count > 0)
            {
                embedder.Embed(sample.Take(batchSize).ToList());
                pipeline.TextEmbedder?.Embed(["warm up"]);
            }

            var (before, beforeCpu) = TimeInference(embedder, sample, batchSize);
            Log($"pure inference before: {sample.Count} images in {before.TotalSeconds:F2} s ({beforeCpu.TotalSeconds:F2} CPU-s)");

            using var index = HybridIndex.Open(indexPath, pipeline.CreateIndexOptions());
            var progress = new StderrProgress();
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var summary = await pipeline.RunAsync(source, index, progress);
            var pipelineCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
            var stats = index.GetStats();
            Log($"ingested {summary.Items} items ({summary.Indexed} indexed, {summary.Failed} failed, {stats.Images} images) in {summary.Elapsed.TotalSeconds:F2} s");
            foreach (var failure in summary.Failures.Take(20))
            {
                Log($"failure: {failure}");
            }

            var (after, afterCpu) = TimeInference(embedder, sample, batchSize);
            Log($"pure inference after: {sample.Count} images in {after.TotalSeconds:F2} s ({afterCpu.TotalSeconds:F2} CPU-s)");

            var seconds = summary.Elapsed.TotalSeconds;
            var inferenceRate = sample.Count == 0 ? 0 : 2 * sample.Count / (before + after).TotalSeconds;
            var imageRate = stats.Images / seconds;
            var result = new Dictionary<string, object>
            {
                ["items"] = summary.Items,
                ["failed"] = summary.Failed,
                ["seconds"] = Math.Round(seconds, 3),
                ["items_per_s"] = Math.Round(summary.Items / seconds, 2),
                ["inference_items_per_s"] = Math.Round(inferenceRate, 2),
                ["images"] = stats.Images,
                ["images_per_s"] = Math.Round(imageRate, 2),
                ["ratio_to_inference"] = inferenceRate == 0 ? 0 : Math.Round(imageRate / inferenceRate, 3),
                ["inference_cpu_ms_per_image"] = sample.Count == 0 ? 0 : Math.Round((beforeCpu + afterCpu).TotalMilliseconds / (2 * sample.Count), 1),
                ["pipeline_cpu_ms_per_image"] = stats.Images == 0 ? 0 : Math.Round(pipelineCpu.TotalMilliseconds / stats.Images, 1),
                ["text_embedder"] = pipeline.TextEmbedder?.Info.Name ?? "none",
                ["batch_size"] = batchSize,
                ["cores"] = Environment.ProcessorCount,
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
        }
        finally
        {
            foreach (var image in sample)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>Decodes and prepares up to <paramref name="count"/> of the source's images, exactly as the pipeline does.</summary>
    private static List<Image<Rgb24>> DecodeSample(IRecordSource source, IngestionPipeline pipeline, Func<Image<Rgb24>, Image<Rgb24>> preparation, int count)
    {
        var decoder = new BoundedImageDecoder(pipeline.Options.ImageDecoding);
        var images = new List<Image<Rgb24>>();
        foreach (var item in source.ReadItems())
        {
            foreach (var image in item.Record?.Images ?? [])
            {
                if (images.Count >= count)
                {
                    return images;
                }

                try
                {
                    using var decoded = decoder.Decode(image.Path);
                    images.Add(preparation(decoded.Image));
                }
                catch (MediaDecodeException)
                {
                    // The pipeline reports it; the sample only needs images that decode.
                }
            }
        }

        return images;
    }

    /// <summary>Wall-clock and process CPU time of embedding the sample in full batches.</summary>
    private static (TimeSpan Wall, TimeSpan Cpu) TimeInference(IImageEmbedder embedder, List<Image<Rgb24>> sample, int batchSize)
    {
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var start = 0; start < sample.Count; start += batchSize)
        {
            embedder.Embed(sample.GetRange(start, Math.Min(batchSize, sample.Count - start)));
        }

        return (stopwatch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart);
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    /// <summary>Prints every 100th item (and the last) to stderr; called in order from one thread by the pipeline.</summary>
    private sealed class StderrProgress : IProgress<IngestionProgress>
    {
        public void Report(IngestionProgress value)
        {
            var finished = value.Done + value.Failed;
            if (finished % 100 == 0 || value.CurrentItem is null)
            {
                Log($"{finished}/{value.Total?.ToString(CultureInfo.InvariantCulture) ?? "?"} items ({value.Failed} failed)");
            }
        }
    }
}
