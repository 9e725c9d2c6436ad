using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Querying;
using Lucene.Net.Index;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>image-retrieval --folder DIR [--index DIR] [--k 10]</c>: indexes every image under DIR with the ingestion
/// pipeline (ResNet18, no text vectors), the label of an image being the name of its parent folder; then queries
/// with each indexed image's own vector through <see cref="KnnVectorQuery"/> on <see cref="IndexFieldNames.ImageVector"/>,
/// single-threaded via an index searcher, the query image itself excluded from its results. Prints one JSON line last:
/// <c>{"images","classes","map_at_10","qps", ...}</c>.
/// </summary>
/// <remarks>
/// mAP@10: for a query q with R relevant images (same label, q itself excluded) and ranked results r1..r10,
/// AP@10(q) = (1 / min(10, R)) · Σ_{i=1..10} P@i · rel(i), where rel(i) = 1 when r_i has q's label and P@i is the
/// fraction of r1..ri that are relevant; queries with R = 0 are skipped. mAP@10 is the mean of AP@10 over queries.
/// qps = queries / total search time (vectors read beforehand, one thread).
/// </remarks>
internal static class ImageRetrievalBenchmark
{
    private static readonly Option<string> FolderOption = BenchmarkOptions.Text("--folder", "Folder of images, one subfolder per class.", required: true);
    private static readonly Option<string> IndexOption = BenchmarkOptions.Text("--index", "Keep the index in this directory (default: a temporary one).");
    private static readonly Option<int> KOption = BenchmarkOptions.Int("--k", 10, "Hits per query image.", min: 1);

    public static Command CreateCommand()
    {
        var command = new Command("image-retrieval", "Index a class-per-folder image set and measure same-class precision of image queries.")
        {
            FolderOption, IndexOption, KOption,
        };
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    public static async Task RunAsync(ParseResult args)
    {
        var folder = args.GetRequiredValue(FolderOption);
        if (!Directory.Exists(folder))
        {
            throw new BenchmarkArgumentException($"--folder: directory '{folder}' does not exist.");
        }

        var k = args.GetValue(KOption);
        var givenIndex = args.GetValue(IndexOption);
        var indexPath = givenIndex ?? Path.Combine(Path.GetTempPath(), "hybridsearch-image-retrieval-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = IngestionPipelineOptions.Default.WithoutTextEmbedding() with { Transcriber = new SidecarTranscriber() };
            using var pipeline = new IngestionPipeline(options);
            using var index = HybridIndex.Open(indexPath, pipeline.CreateIndexOptions());
            Log($"indexing images under {folder}");
            var summary = await pipeline.RunAsync(new FolderRecordSource(folder), index);
            Log($"indexed {summary.Indexed} records ({summary.Failed} failed) in {summary.Elapsed.TotalSeconds:F1} s");

            using var lease = index.AcquireSearcher();
            var searcher = lease.Searcher;
            var queries = ReadImageVectors(searcher.IndexReader);
            var labels = queries.Select(q => q.Label).ToArray();
            var classSizes = labels.GroupBy(label => label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            Log($"{queries.Count} images in {classSizes.Count} classes; querying");

            var labelByDoc = queries.ToDictionary(q => q.Doc, q => q.Label);
            double apSum = 0;
            var scored = 0;
            var stopwatch = new Stopwatch();
            foreach (var query in queries)
            {
                // One extra hit so that k remain once the query image itself is dropped.
                stopwatch.Start();
                var hits = searcher.Search(new KnnVectorQuery(IndexFieldNames.ImageVector, query.Vector, k + 1), k + 1);
                stopwatch.Stop();
                var ranked = hits.ScoreDocs.Where(hit => hit.Doc != query.Doc).Take(k).Select(hit => labelByDoc[hit.Doc]).ToList();
                var relevant = classSizes[query.Label] - 1;
                if (relevant == 0)
                {
                    continue;
                }

                apSum += AveragePrecision(ranked, query.Label, relevant, k);
                scored++;
            }

            var result = new Dictionary<string, object>
            {
                ["images"] = queries.Count,
                ["classes"] = classSizes.Count,
                [$"map_at_{k}"] = scored == 0 ? 0 : Math.Round(apSum / scored, 4),
                ["qps"] = Math.Round(queries.Count / stopwatch.Elapsed.TotalSeconds, 1),
                ["embedder"] = pipeline.ImageEmbedder.Info.Name,
                ["failed"] = summary.Failed,
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
        }
        finally
        {
            if (givenIndex is null && Directory.Exists(indexPath))
            {
                Directory.Delete(indexPath, recursive: true);
            }
        }
    }

    /// <summary>AP@k as defined in the class remarks.</summary>
    private static double AveragePrecision(List<string> rankedLabels, string label, int relevantCount, int k)
    {
        double sum = 0;
        var hits = 0;
        for (var i = 0; i < rankedLabels.Count && i < k; i++)
        {
            if (string.Equals(rankedLabels[i], label, StringComparison.Ordinal))
            {
                hits++;
                sum += hits / (double)(i + 1);
            }
        }

        return sum / Math.Min(k, relevantCount);
    }

    /// <summary>Every image document's global doc id, label (parent folder of its stored path) and vector.</summary>
    private static List<(int Doc, string Label, float[] Vector)> ReadImageVectors(IndexReader reader)
    {
        var result = new List<(int, string, float[])>();
        foreach (var leaf in reader.Leaves)
        {
            var atomic = leaf.AtomicReader;
            if (atomic.GetBinaryDocValues(IndexFieldNames.ImageVector) is not HnswVectorValues vectors)
            {
                continue;
            }

            var live = atomic.LiveDocs;
            for (var doc = 0; doc < atomic.MaxDoc; doc++)
            {
                if (live is not null && !live.Get(doc))
                {
                    continue;
                }

                var vector = vectors.GetVector(doc);
                if (vector.IsEmpty)
                {
                    continue;
                }

                var path = atomic.Document(doc).Get(IndexFieldNames.Path);
                var label = Path.GetFileName(Path.GetDirectoryName(path)) ?? string.Empty;
                result.Add((leaf.DocBase + doc, label, vector.ToArray()));
            }
        }

        return result;
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
