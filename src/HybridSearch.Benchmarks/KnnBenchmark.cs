using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Graph;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Records;
using HybridSearch.Vectors;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>knn</c>: indexes every base vector into a directory on disk, reopens it, then for each ef runs every query
/// single-threaded through IndexSearcher and KnnVectorQuery, writing <c>P.ef&lt;ef&gt;.ivecs</c> (the k ordinals found
/// per query, best first) and printing one JSON line last. <c>--write-path single-segment</c> (default) writes one
/// document per vector through IndexWriter with a buffer large enough for one segment; <c>--write-path library</c>
/// writes one record with one image vector per base vector through <see cref="HybridIndex"/> with its default writer
/// settings, committing every <c>--commit-every</c> records, and searches the index as the last commit left it
/// (force-merged to one segment only with <c>--force-merge</c>).
/// </summary>
internal static class KnnBenchmark
{
    internal const string VectorField = "vector";
    internal const string OrdinalField = "ord";
    private const string EligibleField = "eligible";

    private static readonly Option<string> BaseOption = BenchmarkOptions.ExistingFile("--base", "Base vectors (.fvecs).");
    private static readonly Option<string> QueryOption = BenchmarkOptions.ExistingFile("--query", "Query vectors (.fvecs).");
    private static readonly Option<int> KOption = BenchmarkOptions.Int("--k", 10, "Hits per query.", min: 1);
    private static readonly Option<int> MOption = BenchmarkOptions.Int("--m", 16, "HNSW M.", min: 2);
    private static readonly Option<int> EfConstructionOption = BenchmarkOptions.Int("--ef-construction", 100, "HNSW efConstruction.", min: 1);
    private static readonly Option<int[]> EfOption = BenchmarkOptions.IntList("--ef", "Search beam widths, a comma list (10,20,40).", required: true);
    private static readonly Option<string> OutPrefixOption = BenchmarkOptions.Text("--out-prefix", "Prefix P of the result files P.ef<ef>.ivecs.", required: true);
    private static readonly Option<int> FilterModOption = BenchmarkOptions.Int("--filter-mod", 0, "Filter to every N-th vector (0: no filter).", min: 0);
    private static readonly Option<string> GroundTruthOption = BenchmarkOptions.ExistingFile("--groundtruth", "Exact neighbours (.ivecs), for recall.", required: false);
    private static readonly Option<string> WritePathOption = BenchmarkOptions.Choice("--write-path", "single-segment", "How vectors are indexed", "single-segment", "library");
    private static readonly Option<string> QuantizeOption = BenchmarkOptions.Choice("--quantize", "none", "Vector quantization", "none", "int8");
    private static readonly Option<int> CommitEveryOption = BenchmarkOptions.Int("--commit-every", 10_000, "Records per commit on the library path.", min: 1);
    private static readonly Option<bool> ForceMergeOption = BenchmarkOptions.Flag("--force-merge", "Force-merge to one segment before searching.");
    private static readonly Option<string> IndexDirOption = BenchmarkOptions.Text("--index-dir", "Diagnostics: keep the index there (and reuse it when it exists).");
    private static readonly Option<float?> GreedinessOption = BenchmarkOptions.OptionalFloat("--greediness", "Diagnostics: share of a segment's beam the bound shared across segments may cut (0: segments searched independently).");
    private static readonly Option<int> BuildThreadsOption = BenchmarkOptions.Int("--build-threads", 0, "Diagnostics: graph build threads (0: the library's default; 1: the deterministic single-thread graph).", min: 0);
    private static readonly Option<bool> NoRescueOption = BenchmarkOptions.Flag("--no-rescue", "Diagnostics: do not search lost walks again from level 1 (the searches before session 12).");
    private static readonly Option<int> RepeatOption = BenchmarkOptions.Int("--repeat", 1, "Passes over the query set at each ef; qps and cpu_qps are the medians of the passes (a 100k set answers 1,000 queries in under 0.1 s, too short for one pass to say much on a shared machine).", min: 1);
    private static readonly Option<bool> CompareRawOption = BenchmarkOptions.Flag("--compare-raw", "Diagnostics: also time the raw graph search without Lucene.");

    public static Command CreateCommand()
    {
        var command = new Command("knn", "Index base vectors, then search every query per ef; writes P.ef<ef>.ivecs and prints qps and recall.")
        {
            BaseOption, QueryOption, KOption, MOption, EfConstructionOption, EfOption, OutPrefixOption, FilterModOption, GroundTruthOption,
            WritePathOption, QuantizeOption, CommitEveryOption, ForceMergeOption, IndexDirOption, GreedinessOption, BuildThreadsOption, NoRescueOption, RepeatOption, CompareRawOption,
        };
        command.SetAction((parse, _) => Task.Run(() => Run(parse)));
        return command;
    }

    public static void Run(ParseResult args)
    {
        var basePath = args.GetRequiredValue(BaseOption);
        var queryPath = args.GetRequiredValue(QueryOption);
        var k = args.GetValue(KOption);
        var m = args.GetValue(MOption);
        var efConstruction = args.GetValue(EfConstructionOption);
        var efs = args.GetRequiredValue(EfOption);
        var outPrefix = args.GetRequiredValue(OutPrefixOption);
        var filterMod = args.GetValue(FilterModOption);
        var groundTruthPath = args.GetValue(GroundTruthOption);
        var writePath = args.GetRequiredValue(WritePathOption);
        var quantize = args.GetRequiredValue(QuantizeOption);
        var commitEvery = args.GetValue(CommitEveryOption);
        var forceMerge = args.GetValue(ForceMergeOption);
        var library = writePath == "library";
        var vectorField = library ? IndexFieldNames.ImageVector : VectorField;

        // Diagnostics: --index-dir keeps the index (and reuses it when it exists); --greediness sets how much of a
        // segment's beam the bound shared across segments may cut (0 = segments searched independently).
        var keptIndexDir = args.GetValue(IndexDirOption);
        var buildThreads = args.GetValue(BuildThreadsOption); // 0 = the library's default; 1 = a deterministic graph
        if (args.GetValue(GreedinessOption) is { } greediness)
        {
            HnswGraphSearcher.Greediness = greediness;
        }

        HnswGraphSearcher.RescueEnabled = !args.GetValue(NoRescueOption);
        var repeat = args.GetValue(RepeatOption);

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
            BuildThreads = buildThreads,
            Quantization = quantize == "int8" ? VectorQuantization.Int8 : VectorQuantization.None,
        };
        var indexDir = keptIndexDir ?? Path.Combine(Path.GetTempPath(), "hybridsearch-knn-" + Guid.NewGuid().ToString("N"));
        var reuse = keptIndexDir is not null && System.IO.Directory.Exists(keptIndexDir) && System.IO.Directory.EnumerateFiles(keptIndexDir, "segments_*").Any();
        try
        {
            double buildSeconds;
            double mergeSeconds;
            if (reuse)
            {
                Log($"reusing the index in {indexDir}");
                buildSeconds = mergeSeconds = 0;
            }
            else if (library)
            {
                (buildSeconds, mergeSeconds) = BuildThroughLibrary(indexDir, vectors, options, filterMod, commitEvery);
            }
            else
            {
                using var directory = FSDirectory.Open(indexDir);
                buildSeconds = BuildIndex(directory, vectors, options, filterMod);
                mergeSeconds = 0;
            }

            Log($"indexed {vectors.Length} x {dim} in {buildSeconds:F2} s ({writePath}, {mergeSeconds:F2} s of merges)");
            if (forceMerge)
            {
                var forceSeconds = ForceMerge(indexDir, vectorField, options);
                mergeSeconds += forceSeconds;
                Log($"force-merged to one segment in {forceSeconds:F2} s");
            }

            var diskBytes = new DirectoryInfo(indexDir).EnumerateFiles().Sum(f => f.Length);
            using var reopened = FSDirectory.Open(indexDir);
            var heapBefore = FullGcHeap();
            using var reader = DirectoryReader.Open(reopened);
            var memoryBytes = reader.Leaves.Sum(l => (l.AtomicReader.GetBinaryDocValues(vectorField) as HnswVectorValues)?.RamBytesUsed() ?? 0);
            var heapBytesOpen = FullGcHeap() - heapBefore;
            Log($"{reader.Leaves.Count} segments; opening the reader grew the managed heap by {heapBytesOpen / 1048576.0:F1} MiB");
            var searcher = new IndexSearcher(reader);
            var ordinals = library ? RecordOrdinalLookup(reader, vectorField) : OrdinalLookup(reader);
            var rawBytes = (long)vectors.Length * dim * sizeof(float);
            Query? filter = filterMod > 0
                ? new TermQuery(library ? new Term(IndexFieldNames.Metadata(EligibleField), "1") : new Term(EligibleField, "1"))
                : null;
            var groundTruth = groundTruthPath is null ? null : VectorFiles.ReadIvecs(groundTruthPath);

            // Warm the JIT (tiered compilation reaches its optimised code after a few thousand calls) and the caches,
            // so the first ef measured is not penalised.
            for (var i = 0; i < Math.Max(queries.Length, 2000); i++)
            {
                searcher.Search(new KnnVectorQuery(vectorField, queries[i % queries.Length], k, filter, efs[0]), k);
            }

            var runs = new List<Dictionary<string, object>>();
            foreach (var ef in efs)
            {
                var results = new int[queries.Length][];
                var rescuesBefore = HnswGraphSearcher.Rescues;
                var probesBefore = HnswGraphSearcher.BackgroundProbes;
                var passQps = new double[repeat];
                var passCpuQps = new double[repeat];
                for (var pass = 0; pass < repeat; pass++)
                {
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    for (var q = 0; q < queries.Length; q++)
                    {
                        var top = searcher.Search(new KnnVectorQuery(vectorField, queries[q], k, filter, ef), k);
                        var row = new int[top.ScoreDocs.Length];
                        for (var i = 0; i < row.Length; i++)
                        {
                            row[i] = ordinals(top.ScoreDocs[i].Doc);
                        }

                        results[q] = row;
                    }

                    passQps[pass] = queries.Length / watch.Elapsed.TotalSeconds;
                    passCpuQps[pass] = queries.Length / Math.Max((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds, 1e-9);
                }

                VectorFiles.WriteIvecs($"{outPrefix}.ef{ef}.ivecs", results);
                // cpu_qps divides by the process's CPU time: on a shared machine it shows what wall-clock qps hides.
                var run = new Dictionary<string, object>
                {
                    ["ef"] = ef,
                    ["qps"] = Math.Round(Median(passQps), 1),
                    ["cpu_qps"] = Math.Round(Median(passCpuQps), 1),
                    ["rescued"] = (HnswGraphSearcher.Rescues - rescuesBefore) / repeat, // graph walks searched again from level 1 (per pass)
                    ["probed"] = (HnswGraphSearcher.BackgroundProbes - probesBefore) / repeat, // walks whose background was probed on level 1 (per pass)
                };
                if (groundTruth is not null && filterMod == 0)
                {
                    run["recall"] = Math.Round(Recall(results, groundTruth, k), 4);
                }

                if (args.GetValue(CompareRawOption))
                {
                    run["raw_graph_qps"] = Math.Round(RawGraphQps(reader, vectorField, queries, k, ef), 1);
                }

                runs.Add(run);
                Log($"ef {ef}: {run["qps"]} qps" + (run.TryGetValue("recall", out var r) ? $", recall@{k} {r}" : string.Empty) + $", {run["rescued"]} walks rescued");
            }

            var summary = new Dictionary<string, object>
            {
                ["n"] = vectors.Length,
                ["dim"] = dim,
                ["M"] = m,
                ["efConstruction"] = efConstruction,
                ["build_s"] = Math.Round(buildSeconds, 2),
                ["runs"] = runs,
                ["write_path"] = writePath,
                ["quantize"] = quantize,
                ["segments"] = reader.Leaves.Count,
                ["merge_s"] = Math.Round(mergeSeconds, 2),
                ["heap_bytes_open"] = heapBytesOpen,
                ["rss_bytes"] = ResidentBytes(),
                ["disk_bytes"] = diskBytes,
                ["memory_ratio"] = Math.Round(memoryBytes / (double)rawBytes, 3),
            };
            if (library)
            {
                summary["commit_every"] = commitEvery;
            }

            if (forceMerge)
            {
                summary["force_merge"] = true;
            }
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
                if (keptIndexDir is null)
                {
                    System.IO.Directory.Delete(indexDir, recursive: true);
                }
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
            RAMBufferSizeMB = HybridIndexOptions.MaxRamBufferMB,
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

    /// <summary>
    /// Writes each vector as a user of the library would: one record with one image vector, through
    /// <see cref="HybridIndex"/> with its default writer settings, a commit every <paramref name="commitEvery"/>
    /// records, then closes the index (which finishes running merges and commits). Returns the wall time of all of it
    /// and the time the writer spent in merges.
    /// </summary>
    private static (double Seconds, double MergeSeconds) BuildThroughLibrary(string indexDir, float[][] vectors, VectorFieldOptions options, int filterMod, int commitEvery)
    {
        var indexOptions = HybridIndexOptions.Default.WithVectorField(IndexFieldNames.ImageVector, options);
        var watch = Stopwatch.StartNew();
        var index = HybridIndex.Open(indexDir, indexOptions);
        try
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                var id = i.ToString(CultureInfo.InvariantCulture);
                var fields = filterMod > 0
                    ? new Dictionary<string, FieldValue> { [EligibleField] = FieldValue.Keyword(i % filterMod == 0 ? "1" : "0") }
                    : null;
                var image = new IndexedImage("v" + id, null, new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = vectors[i] });
                index.Upsert(new IndexedRecord(id, fields: fields, images: [image]));
                if ((i + 1) % commitEvery == 0)
                {
                    index.Commit();
                }
            }

            index.Commit();
        }
        finally
        {
            index.Dispose();
        }

        return (watch.Elapsed.TotalSeconds, index.MergeTime.TotalSeconds);
    }

    /// <summary>Merges the index down to one segment with a plain IndexWriter over the same codec; returns the time.</summary>
    private static double ForceMerge(string indexDir, string vectorField, VectorFieldOptions options)
    {
        var codec = new HybridCodec(new Dictionary<string, VectorFieldOptions> { [vectorField] = options });
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            Codec = codec,
            OpenMode = OpenMode.APPEND,
        };
        var watch = Stopwatch.StartNew();
        using (var directory = FSDirectory.Open(indexDir))
        using (var writer = new IndexWriter(directory, config))
        {
            writer.ForceMerge(1);
            writer.Commit();
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static long FullGcHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Diagnostics: the same searches straight on the loaded graph, without Lucene's query machinery,
    /// to show how much of the time is the query path rather than the graph walk.</summary>
    private static double RawGraphQps(DirectoryReader reader, string vectorField, float[][] queries, int k, int ef)
    {
        var values = (HnswVectorValues)reader.Leaves[0].AtomicReader.GetBinaryDocValues(vectorField);
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
    internal static Func<int, int> OrdinalLookup(DirectoryReader reader)
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

    /// <summary>Library path: the base ordinal of a hit is its record id (the image document's parent), read from the
    /// stored fields once per vector document before any search is timed.</summary>
    private static Func<int, int> RecordOrdinalLookup(DirectoryReader reader, string vectorField)
    {
        var leaves = reader.Leaves;
        var byLeaf = new int[leaves.Count][];
        var parentOnly = new HashSet<string> { IndexFieldNames.Parent };
        for (var l = 0; l < leaves.Count; l++)
        {
            var leafReader = leaves[l].AtomicReader;
            var ords = new int[leafReader.MaxDoc];
            Array.Fill(ords, -1);
            if (leafReader.GetBinaryDocValues(vectorField) is HnswVectorValues values)
            {
                for (var doc = 0; doc < leafReader.MaxDoc; doc++)
                {
                    if (!values.GetVector(doc).IsEmpty)
                    {
                        ords[doc] = int.Parse(leafReader.Document(doc, parentOnly).Get(IndexFieldNames.Parent), CultureInfo.InvariantCulture);
                    }
                }
            }

            byLeaf[l] = ords;
        }

        var bases = leaves.Select(l => l.DocBase).ToArray();
        return doc =>
        {
            var i = ReaderUtil.SubIndex(doc, leaves);
            return byLeaf[i][doc - bases[i]];
        };
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); the values are sorted in place.</summary>
    internal static double Median(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    internal static double Recall(int[][] results, int[][] truth, int k)
    {
        double sum = 0;
        for (var q = 0; q < results.Length; q++)
        {
            var expected = truth[q].Take(k).ToHashSet();
            sum += results[q].Count(expected.Contains) / (double)k;
        }

        return sum / results.Length;
    }

    internal static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
