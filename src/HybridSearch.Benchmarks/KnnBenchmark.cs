using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Graph;
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
/// <c>knn</c>: indexes every base vector as one document through IndexWriter and the hybrid codec into a directory on
/// disk, commits, reopens, then for each ef runs every query single-threaded through IndexSearcher and KnnVectorQuery,
/// writing <c>P.ef&lt;ef&gt;.ivecs</c> (the k ordinals found per query, best first) and printing one JSON line last.
/// </summary>
internal static class KnnBenchmark
{
    private const string VectorField = "vector";
    private const string OrdinalField = "ord";
    private const string EligibleField = "eligible";

    public static void Run(BenchmarkArguments args)
    {
        var basePath = args.RequiredFile("base");
        var queryPath = args.RequiredFile("query");
        var k = args.Int("k", 10, min: 1);
        var m = args.Int("m", 16, min: 2);
        var efConstruction = args.Int("ef-construction", 100, min: 1);
        var efs = args.IntList("ef");
        var outPrefix = args.Required("out-prefix");
        var filterMod = args.Int("filter-mod", 0, min: 0);
        var groundTruthPath = args.Optional("groundtruth");
        var quantize = args.Optional("quantize") ?? "none";
        if (quantize is not ("none" or "int8"))
        {
            throw new BenchmarkArgumentException($"--quantize must be none or int8, not '{quantize}'.");
        }

        Log($"reading {basePath} and {queryPath}");
        var vectors = VectorFiles.ReadFvecs(basePath);
        var queries = VectorFiles.ReadFvecs(queryPath);
        if (vectors.Length == 0 || queries.Length == 0)
        {
            throw new InvalidDataException("the base and query files must each hold at least one vector.");
        }

        var dim = vectors[0].Length;
        if (queries[0].Length != dim)
        {
            throw new InvalidDataException($"queries have dimension {queries[0].Length}, base vectors {dim}.");
        }

        HybridCodec.Register();
        var options = new VectorFieldOptions(dim, VectorSimilarity.Cosine)
        {
            M = m,
            EfConstruction = efConstruction,
            Embedder = "fvecs",
            Quantization = quantize == "int8" ? VectorQuantization.Int8 : VectorQuantization.None,
        };
        var indexDir = Path.Combine(Path.GetTempPath(), "hybridsearch-knn-" + Guid.NewGuid().ToString("N"));
        try
        {
            double buildSeconds;
            using (var directory = FSDirectory.Open(indexDir))
            {
                buildSeconds = BuildIndex(directory, vectors, options, filterMod);
            }

            Log($"indexed {vectors.Length} x {dim} in {buildSeconds:F2} s");
            using var reopened = FSDirectory.Open(indexDir);
            var heapBefore = FullGcHeapBytes();
            using var reader = DirectoryReader.Open(reopened);
            var heapBytesOpen = FullGcHeapBytes() - heapBefore;
            var diskBytes = new DirectoryInfo(indexDir).EnumerateFiles().Sum(f => f.Length);
            var searcher = new IndexSearcher(reader);
            var ordinals = OrdinalLookup(reader);
            var memoryBytes = reader.Leaves.Sum(l => (l.AtomicReader.GetBinaryDocValues(VectorField) as HnswVectorValues)?.RamBytesUsed() ?? 0);
            var rawBytes = (long)vectors.Length * dim * sizeof(float);
            Query? filter = filterMod > 0 ? new TermQuery(new Term(EligibleField, "1")) : null;
            var groundTruth = groundTruthPath is null ? null : VectorFiles.ReadIvecs(groundTruthPath);

            // Warm the JIT (tiered compilation reaches its optimised code after a few thousand calls) and the caches,
            // so the first ef measured is not penalised.
            for (var i = 0; i < Math.Max(queries.Length, 2000); i++)
            {
                searcher.Search(new KnnVectorQuery(VectorField, queries[i % queries.Length], k, filter, efs[0]), k);
            }

            var runs = new List<Dictionary<string, object>>();
            foreach (var ef in efs)
            {
                var results = new int[queries.Length][];
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                for (var q = 0; q < queries.Length; q++)
                {
                    var top = searcher.Search(new KnnVectorQuery(VectorField, queries[q], k, filter, ef), k);
                    var row = new int[top.ScoreDocs.Length];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = ordinals(top.ScoreDocs[i].Doc);
                    }

                    results[q] = row;
                }

                var seconds = watch.Elapsed.TotalSeconds;
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                VectorFiles.WriteIvecs($"{outPrefix}.ef{ef}.ivecs", results);
                // cpu_qps divides by the process's CPU time: on a shared machine it shows what wall-clock qps hides.
                var run = new Dictionary<string, object>
                {
                    ["ef"] = ef,
                    ["qps"] = Math.Round(queries.Length / seconds, 1),
                    ["cpu_qps"] = Math.Round(queries.Length / Math.Max(cpuSeconds, 1e-9), 1),
                };
                if (groundTruth is not null && filterMod == 0)
                {
                    run["recall"] = Math.Round(Recall(results, groundTruth, k), 4);
                }

                if (args.Optional("compare-raw") == "true")
                {
                    run["raw_graph_qps"] = Math.Round(RawGraphQps(reader, queries, k, ef), 1);
                }

                runs.Add(run);
                Log($"ef {ef}: {run["qps"]} qps" + (run.TryGetValue("recall", out var r) ? $", recall@{k} {r}" : string.Empty));
            }

            var summary = new Dictionary<string, object>
            {
                ["n"] = vectors.Length,
                ["dim"] = dim,
                ["M"] = m,
                ["efConstruction"] = efConstruction,
                ["build_s"] = Math.Round(buildSeconds, 2),
                ["runs"] = runs,
                ["segments"] = reader.Leaves.Count,
                ["memory_ratio"] = Math.Round(memoryBytes / (double)rawBytes, 3),
                ["quantize"] = quantize,
                ["heap_bytes_open"] = heapBytesOpen,
                ["disk_bytes"] = diskBytes,
            };
            if (filterMod > 0)
            {
                summary["filter_mod"] = filterMod;
            }

            Console.WriteLine(JsonSerializer.Serialize(summary));
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(indexDir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary index is harmless.
            }
        }
    }

    private static double BuildIndex(Lucene.Net.Store.Directory directory, float[][] vectors, VectorFieldOptions options, int filterMod)
    {
        var codec = new HybridCodec(new Dictionary<string, VectorFieldOptions> { [VectorField] = options });
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            Codec = codec,
            OpenMode = OpenMode.CREATE,
            // One segment for the whole set: flushing smaller ones would build graphs that a merge rebuilds.
            RAMBufferSizeMB = 2047,
            MaxBufferedDocs = IndexWriterConfig.DISABLE_AUTO_FLUSH,
            UseCompoundFile = false,
        };
        var watch = Stopwatch.StartNew();
        using (var writer = new IndexWriter(directory, config))
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                var doc = new Document
                {
                    new KnnVectorField(VectorField, vectors[i], options),
                    new StoredField(OrdinalField, i),
                    new NumericDocValuesField(OrdinalField, i),
                };
                if (filterMod > 0)
                {
                    doc.Add(new StringField(EligibleField, i % filterMod == 0 ? "1" : "0", Field.Store.NO));
                }

                writer.AddDocument(doc);
            }

            writer.Commit();
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Diagnostics: the same searches straight on the loaded graph, without Lucene's query machinery,
    /// to show how much of the time is the query path rather than the graph walk.</summary>
    private static double RawGraphQps(DirectoryReader reader, float[][] queries, int k, int ef)
    {
        var values = (HnswVectorValues)reader.Leaves[0].AtomicReader.GetBinaryDocValues(VectorField);
        var searcher = new HybridSearch.Graph.HnswGraphSearcher(values.Count);
        var normalised = queries.Select(q =>
        {
            var copy = (float[])q.Clone();
            VectorNormalization.NormalizeInPlace(copy);
            return copy;
        }).ToArray();
        using var lease = values.Acquire();
        var watch = Stopwatch.StartNew();
        foreach (var q in normalised)
        {
            searcher.Search(values.Graph, values.FloatScorer(q), k, ef, null);
        }

        return queries.Length / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The managed heap after a full, compacting collection.</summary>
    private static long FullGcHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static Func<int, int> OrdinalLookup(DirectoryReader reader)
    {
        var leaves = reader.Leaves;
        var values = leaves.Select(l => l.AtomicReader.GetNumericDocValues(OrdinalField)).ToArray();
        var bases = leaves.Select(l => l.DocBase).ToArray();
        return doc =>
        {
            var i = ReaderUtil.SubIndex(doc, leaves);
            return (int)values[i].Get(doc - bases[i]);
        };
    }

    private static double Recall(int[][] results, int[][] truth, int k)
    {
        double sum = 0;
        for (var q = 0; q < results.Length; q++)
        {
            var expected = truth[q].Take(k).ToHashSet();
            sum += results[q].Count(expected.Contains) / (double)k;
        }

        return sum / results.Length;
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
