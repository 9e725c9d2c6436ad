using System.Diagnostics;
using System.Globalization;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>A BEIR corpus indexed into a fresh on-disk <see cref="HybridIndex"/> the library's normal way — through
/// the <see cref="IngestionPipeline"/>, one record per document (title, text), chunked and embedded with MiniLM (a
/// document with neither gets no vectors) — plus the searcher over it. Deletes the index
/// directory when disposed.</summary>
internal sealed class BeirIndex : IDisposable
{
    private BeirIndex(string directory, HybridIndex index, MiniLMTextEmbedder embedder, double indexSeconds)
    {
        Directory = directory;
        Index = index;
        Embedder = embedder;
        IndexSeconds = indexSeconds;
        Searcher = new HybridSearcher(index, embedder);
    }

    public string Directory { get; }

    public HybridIndex Index { get; }

    public MiniLMTextEmbedder Embedder { get; }

    public HybridSearcher Searcher { get; }

    public double IndexSeconds { get; }

    public static BeirIndex Build(BeirCollection collection)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hybridsearch-beir-" + Guid.NewGuid().ToString("N"));
        var embedder = new MiniLMTextEmbedder();
        var watch = Stopwatch.StartNew();

        // The library's normal ingestion: the same pipeline `hybridsearch index` runs, one commit at the end.
        using var pipeline = new IngestionPipeline(IngestionPipelineOptions.Default
            .WithTextEmbedder(embedder) with { CommitEvery = Math.Max(1, collection.Corpus.Count) });
        var index = HybridIndex.Open(directory, pipeline.CreateIndexOptions());
        var summary = pipeline.RunAsync(new BeirRecordSource(collection), index, new LogProgress(collection.Corpus.Count)).GetAwaiter().GetResult();
        if (summary.Failed > 0)
        {
            Log($"{summary.Failed} of {summary.Items} documents failed; first: {summary.Failures[0]}");
        }

        index.Refresh();
        return new BeirIndex(directory, index, embedder, watch.Elapsed.TotalSeconds);
    }

    /// <summary>A log line every 256 documents.</summary>
    private sealed class LogProgress(int total) : IProgress<IngestionProgress>
    {
        private int _logged;

        public void Report(IngestionProgress value)
        {
            if (value.Done - _logged >= 256 || value.Done == total)
            {
                _logged = value.Done;
                Log($"indexed {value.Done}/{total}");
            }
        }
    }

    /// <summary>Runs every query through the searcher; returns per query the doc ids best first with scores, and the
    /// seconds the queries took (sequentially, embedding included).</summary>
    public (Dictionary<string, List<(string Id, double Score)>> Run, double Seconds) RunQueries(
        BeirCollection collection, Func<int, HybridQuery> query, HybridSearchOptions options)
    {
        var run = new Dictionary<string, List<(string, double)>>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < collection.Queries.Count; i++)
        {
            var results = Searcher.SearchAsync(query(i), options).GetAwaiter().GetResult();
            run[collection.Queries[i].Id] = results.Hits.Select(h => (h.RecordId, h.Score)).ToList();
        }

        return (run, watch.Elapsed.TotalSeconds);
    }

    public static void WriteTrec(string path, Dictionary<string, List<(string Id, double Score)>> run, string tag)
    {
        var full = Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var writer = new StreamWriter(full);
        foreach (var (qid, hits) in run)
        {
            for (var i = 0; i < hits.Count; i++)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{qid} Q0 {hits[i].Id} {i + 1} {hits[i].Score:G9} {tag}"));
            }
        }
    }

    public static Dictionary<string, List<string>> Ranked(Dictionary<string, List<(string Id, double Score)>> run) =>
        run.ToDictionary(p => p.Key, p => p.Value.Select(h => h.Id).ToList(), StringComparer.Ordinal);

    public void Dispose()
    {
        Index.Dispose();
        Embedder.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary index is harmless.
        }
    }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
