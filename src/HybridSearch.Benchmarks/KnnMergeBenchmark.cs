using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>knn-merge</c>: what a merge that keeps a graph costs. Writes the first <c>--split</c> base vectors as one segment
/// and the rest as a second, times the merge of the two into one (which starts from the larger segment's graph), then
/// times a from-scratch one-segment build of all the vectors; with <c>--groundtruth</c>, reports recall@k of both
/// indexes per ef. Both builds use <c>--build-threads</c> (default 1). Prints one JSON line last.
/// </summary>
internal static class KnnMergeBenchmark
{
    // The same index layout as the knn command, so its ordinal lookup and recall apply here.
    private const string VectorField = KnnBenchmark.VectorField;
    private const string OrdinalField = KnnBenchmark.OrdinalField;

    private static readonly Option<string> BaseOption = BenchmarkOptions.ExistingFile("--base", "Base vectors (.fvecs).");
    private static readonly Option<int?> SplitOption = BenchmarkOptions.OptionalInt("--split", "Vectors in the first (larger) segment (default 9/10 of them).", min: 1);
    private static readonly Option<int> MOption = BenchmarkOptions.Int("--m", 16, "HNSW M.", min: 2);
    private static readonly Option<int> EfConstructionOption = BenchmarkOptions.Int("--ef-construction", 100, "HNSW efConstruction.", min: 1);
    private static readonly Option<int> BuildThreadsOption = BenchmarkOptions.Int("--build-threads", 1, "Threads of each graph build.", min: 1);
    private static readonly Option<string> QueryOption = BenchmarkOptions.ExistingFile("--query", "Query vectors (.fvecs), for recall.", required: false);
    private static readonly Option<string> GroundTruthOption = BenchmarkOptions.ExistingFile("--groundtruth", "Exact neighbours (.ivecs), for recall.", required: false);
    private static readonly Option<int> KOption = BenchmarkOptions.Int("--k", 10, "Hits per query.", min: 1);
    private static readonly Option<int[]> EfOption = BenchmarkOptions.IntList("--ef", "Search beam widths for recall, a comma list (40,80).", required: false);
    private static readonly Option<string> QuantizeOption = BenchmarkOptions.Choice("--quantize", "none", "Vector quantization", "none", "int8");

    public static Command CreateCommand()
    {
        var command = new Command("knn-merge", "Time a merge of two segments that keeps the larger one's graph against a from-scratch build.")
        {
            BaseOption, SplitOption, MOption, EfConstructionOption, BuildThreadsOption, QueryOption, GroundTruthOption, KOption, EfOption, QuantizeOption,
        };
        command.SetAction((parse, _) => Task.Run(() => Run(parse)));
        return command;
    }

    public static void Run(ParseResult args)
    {
        var vectors = VectorFiles.ReadFvecs(args.GetRequiredValue(BaseOption));
        var split = args.GetValue(SplitOption) ?? vectors.Length * 9 / 10;
        if (split >= vectors.Length)
        {
            throw new BenchmarkArgumentException($"--split {split} must be below the {vectors.Length} base vectors.");
        }

        var k = args.GetValue(KOption);
        var efs = args.GetRequiredValue(EfOption);
        var threads = args.GetValue(BuildThreadsOption);
        var queries = args.GetValue(QueryOption) is { } queryPath ? VectorFiles.ReadFvecs(queryPath) : [];
        var truth = args.GetValue(GroundTruthOption) is { } truthPath ? VectorFiles.ReadIvecs(truthPath) : null;
        var dim = vectors[0].Length;
        var options = new VectorFieldOptions(dim, VectorSimilarity.Cosine)
        {
            M = args.GetValue(MOption),
            EfConstruction = args.GetValue(EfConstructionOption),
            Embedder = "fvecs",
            BuildThreads = threads,
            Quantization = args.GetRequiredValue(QuantizeOption) == "int8" ? VectorQuantization.Int8 : VectorQuantization.None,
        };

        HybridCodec.Register();
        var mergedDir = TempIndexDir();
        var scratchDir = TempIndexDir();
        try
        {
            var summary = new Dictionary<string, object> { ["n"] = vectors.Length, ["dim"] = dim, ["split"] = split, ["M"] = options.M, ["efConstruction"] = options.EfConstruction, ["build_threads"] = threads, ["quantize"] = options.Quantization == VectorQuantization.Int8 ? "int8" : "none" };
            using (var directory = FSDirectory.Open(mergedDir))
            using (var writer = new IndexWriter(directory, Config(options)))
            {
                summary["build_large_s"] = Round(Time(() => AddRange(writer, vectors, 0, split, options)));
                summary["build_small_s"] = Round(Time(() => AddRange(writer, vectors, split, vectors.Length, options)));
                Log($"two segments written ({split} + {vectors.Length - split}); merging");
                var merge = Time(() =>
                {
                    writer.ForceMerge(1);
                    writer.Commit();
                });
                using (var check = DirectoryReader.Open(directory))
                {
                    if (check.Leaves.Count != 1)
                    {
                        throw new InvalidOperationException($"the forced merge left {check.Leaves.Count} segments.");
                    }
                }
                summary["merge_s"] = Round(merge);
                Log($"merged in {merge:F2} s; building all {vectors.Length} from scratch");
            }

            using (var directory = FSDirectory.Open(scratchDir))
            using (var writer = new IndexWriter(directory, Config(options)))
            {
                var scratch = Time(() => AddRange(writer, vectors, 0, vectors.Length, options));
                summary["scratch_s"] = Round(scratch);
                summary["merge_ratio"] = Math.Round((double)summary["merge_s"] / scratch, 3);
                Log($"from scratch in {scratch:F2} s");
            }

            if (truth is not null && queries.Length > 0)
            {
                var runs = new List<Dictionary<string, object>>();
                using var merged = DirectoryReader.Open(FSDirectory.Open(mergedDir));
                using var scratch = DirectoryReader.Open(FSDirectory.Open(scratchDir));
                foreach (var ef in efs)
                {
                    runs.Add(new Dictionary<string, object>
                    {
                        ["ef"] = ef,
                        ["recall_merged"] = Math.Round(Recall(merged, queries, truth, k, ef), 4),
                        ["recall_scratch"] = Math.Round(Recall(scratch, queries, truth, k, ef), 4),
                    });
                }

                summary["runs"] = runs;
            }

            Console.WriteLine(JsonSerializer.Serialize(summary));
        }
        finally
        {
            foreach (var dir in new[] { mergedDir, scratchDir })
            {
                try
                {
                    System.IO.Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temporary index is harmless.
                }
            }
        }
    }

    private static IndexWriterConfig Config(VectorFieldOptions options) => new(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
    {
        Codec = new HybridCodec(new Dictionary<string, VectorFieldOptions> { [VectorField] = options }),
        OpenMode = OpenMode.CREATE,
        RAMBufferSizeMB = HybridIndexOptions.MaxRamBufferMB,
        MaxBufferedDocs = IndexWriterConfig.DISABLE_AUTO_FLUSH,
        UseCompoundFile = false,
        // Two segments are far below the ten a tiered policy merges at once: they merge only when the benchmark forces it.
        MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 },
    };

    /// <summary>Adds vectors [from, to) and commits them as one segment.</summary>
    private static void AddRange(IndexWriter writer, float[][] vectors, int from, int to, VectorFieldOptions options)
    {
        for (var i = from; i < to; i++)
        {
            writer.AddDocument(new Document
            {
                new KnnVectorField(VectorField, vectors[i], options),
                new NumericDocValuesField(OrdinalField, i),
            });
        }

        writer.Commit();
    }

    private static double Recall(DirectoryReader reader, float[][] queries, int[][] truth, int k, int ef)
    {
        var searcher = new IndexSearcher(reader);
        var ordinalOf = KnnBenchmark.OrdinalLookup(reader);
        var results = queries
            .Select(query => searcher.Search(new KnnVectorQuery(VectorField, query, k, null, ef), k).ScoreDocs.Select(hit => ordinalOf(hit.Doc)).ToArray())
            .ToArray();
        return KnnBenchmark.Recall(results, truth, k);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Round(double seconds) => Math.Round(seconds, 2);

    private static string TempIndexDir() => Path.Combine(Path.GetTempPath(), "hybridsearch-knn-merge-" + Guid.NewGuid().ToString("N"));

    private static void Log(string message) => KnnBenchmark.Log(message);
}
