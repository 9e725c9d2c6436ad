using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>soak [--seconds 60] [--threads 4 | --processes 4] [--records 400] [--commit-every 20] [--seed 1]</c>: one
/// writer (upserts, re-upserts at the next version, deletes; commit and refresh every <c>--commit-every</c>
/// operations) against concurrent hybrid queries for <c>--seconds</c>, on a fresh index of synthetic records (see
/// <see cref="SoakCorpus"/>; chunk vectors are MiniLM vectors of a sentence pool, queries are embedded by MiniLM).
/// With <c>--threads N</c> (default 4) everything runs in this process; with <c>--processes N</c> the benchmark
/// starts itself again as one writer process and N reader processes (<c>--role writer|reader</c>), each reader
/// opening the index read-only and reopening it every 250 ms to see new commits. Every hit is checked (whole record,
/// not deleted before the query, see <see cref="SoakQueryWorker"/>); every exception counts as an error; at the end
/// the index is compared with what the writer wrote. Each process samples its managed heap after a full collection at
/// the start, at each quarter and at the end (with the writer's live records and Lucene segments at start and end,
/// since the index's own size moves the heap). Prints the counts and the heaps per process as one JSON line last; exits 1 when any
/// error, torn record, stale hit or final mismatch was seen.
/// </summary>
internal static class SoakBenchmark
{
    private const int ReopenIntervalMs = 250;
    private static string _role = "soak";

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] [{_role}] {message}");

    private static readonly Option<int> SecondsOption = BenchmarkOptions.Int("--seconds", 60, "How long to run.", min: 1);
    private static readonly Option<int> ThreadsOption = BenchmarkOptions.Int("--threads", 4, "Query threads (one process).", min: 1);
    private static readonly Option<int?> ProcessesOption = BenchmarkOptions.OptionalInt("--processes", "Reader processes next to a writer process, instead of threads.", min: 1);
    private static readonly Option<int> RecordsOption = BenchmarkOptions.Int("--records", 400, "Records written before the run starts.", min: 1);
    private static readonly Option<int> CommitEveryOption = BenchmarkOptions.Int("--commit-every", 20, "Writes per commit.", min: 1);
    private static readonly Option<int> SeedOption = BenchmarkOptions.Int("--seed", 1, "Seed of the corpus and the workers.");

    // The child processes' own options (--processes starts them with these).
    private static readonly Option<string> RoleOption = new("--role") { Description = "A child process's role: writer or reader.", Hidden = true };
    private static readonly Option<string> IndexOption = new("--index") { Description = "A child process's index directory.", Hidden = true };
    private static readonly Option<string> DeletionLogOption = new("--deletion-log") { Description = "A child process's deletion log.", Hidden = true };

    public static Command CreateCommand()
    {
        RoleOption.AcceptOnlyFromAmong("writer", "reader");
        var command = new Command("soak", "Concurrent writes, deletes and queries on one index, checking every answer; memory and counters at the end.")
        {
            SecondsOption, ThreadsOption, ProcessesOption, RecordsOption, CommitEveryOption, SeedOption, RoleOption, IndexOption, DeletionLogOption,
        };
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult args) => args.GetValue(RoleOption) switch
    {
        "writer" => await RunWriterRoleAsync(args),
        "reader" => await RunReaderRoleAsync(args),
        _ => args.GetValue(ProcessesOption) is null ? await RunThreadsAsync(args) : await RunProcessesAsync(args),
    };

    private static string ChildPath(ParseResult args, Option<string> option) =>
        args.GetValue(option) ?? throw new BenchmarkArgumentException($"missing required option {option.Name} (of a --role process).");

    private static async Task<int> RunThreadsAsync(ParseResult args)
    {
        var seconds = args.GetValue(SecondsOption);
        var threads = args.GetValue(ThreadsOption);
        var seed = args.GetValue(SeedOption);
        using var folder = new SoakFolder();
        using var embedder = new CachingTextEmbedder(new MiniLMTextEmbedder());
        var corpus = new SoakCorpus(seed);
        corpus.EmbedSentences(embedder);
        var counters = new SoakCounters();
        var deletions = new SoakDeletions();
        using var index = HybridIndex.Open(folder.IndexPath, SoakCorpus.IndexOptions(embedder.Info));
        var writer = new SoakWriter(index, corpus, counters, args.GetValue(CommitEveryOption), seed, deletions.Publish);
        writer.Seed(args.GetValue(RecordsOption));
        var liveAtStart = writer.LiveRecords;
        var segmentsAtStart = index.GetStats().LuceneSegments;
        var searcher = new HybridSearcher(index, embedder);
        var workers = Enumerable.Range(0, threads).Select(i => new SoakQueryWorker(index, searcher, corpus, deletions, counters, seed + 1 + i)).ToList();
        await workers[0].WarmUpAsync();

        var heap = new HeapSampler();
        heap.Sample("start");
        Log($"{threads} query threads and 1 writer for {seconds} s on '{folder.IndexPath}'");
        var until = DateTimeOffset.UtcNow.AddSeconds(seconds).ToUnixTimeMilliseconds();
        using var stop = new CancellationTokenSource(Remaining(until));
        var running = workers.Select(worker => Task.Run(() => worker.RunAsync(stop.Token)))
            .Append(Task.Run(() => writer.Run(stop.Token)))
            .ToList();
        await SampleDuringAsync(heap, until);
        await Task.WhenAll(running);
        writer.VerifyFinal(index);
        heap.Sample("end");

        var report = counters.Report();
        report["live_records_start"] = liveAtStart;
        report["live_records_end"] = writer.LiveRecords;
        report["segments_start"] = segmentsAtStart;
        report["segments_end"] = index.GetStats().LuceneSegments;
        report["mode"] = "threads";
        report["seconds"] = seconds;
        report["query_threads"] = threads;
        report["processes"] = new[] { ProcessReport("all", Environment.ProcessId, null, heap.Report()) };
        return Finish(report);
    }

    private static async Task<int> RunProcessesAsync(ParseResult args)
    {
        var seconds = args.GetValue(SecondsOption);
        var readers = args.GetValue(ProcessesOption) ?? 4;
        var seed = args.GetValue(SeedOption);
        using var folder = new SoakFolder();
        string[] common = ["--index", folder.IndexPath, "--deletion-log", folder.DeletionLogPath];

        using var writer = SoakChild.Start("writer", [.. common, "--seed", Text(seed), "--records", Text(args.GetValue(RecordsOption)), "--commit-every", Text(args.GetValue(CommitEveryOption))]);
        await writer.WaitReadyAsync();
        var children = new List<SoakChild> { writer };
        try
        {
            for (var i = 0; i < readers; i++)
            {
                children.Add(SoakChild.Start("reader", [.. common, "--seed", Text(seed + 1 + i)]));
            }

            foreach (var child in children.Skip(1))
            {
                await child.WaitReadyAsync();
            }

            var until = DateTimeOffset.UtcNow.AddSeconds(seconds).ToUnixTimeMilliseconds();
            Log($"{readers} query processes and 1 writer process for {seconds} s on '{folder.IndexPath}'");
            foreach (var child in children)
            {
                await child.GoAsync(until);
            }

            var counters = new SoakCounters();
            var processes = new List<Dictionary<string, object>>();
            foreach (var child in children)
            {
                var (exitCode, report) = await child.FinishAsync(TimeSpan.FromSeconds(seconds + 120));
                if (report is null)
                {
                    counters.Error($"{child.Role} process {child.ProcessId}", new InvalidDataException($"exited with {exitCode} without a report"));
                    processes.Add(ProcessReport(child.Role, child.ProcessId, exitCode, []));
                    continue;
                }

                if (report.Value.TryGetProperty("problem_samples", out var samples) && samples.ValueKind == JsonValueKind.Array)
                {
                    counters.AddSamples(samples.EnumerateArray().Select(sample => $"{child.Role} {child.ProcessId}: {sample.GetString()}"));
                }

                counters.Add(report.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetInt64()));
                var heap = report.Value.EnumerateObject().Where(p => p.Name.StartsWith("heap_", StringComparison.Ordinal) || p.Name.StartsWith("rss_", StringComparison.Ordinal) || p.Name.StartsWith("live_records_", StringComparison.Ordinal) || p.Name.StartsWith("segments_", StringComparison.Ordinal))
                    .ToDictionary(p => p.Name, p => (object)p.Value.GetInt64());
                processes.Add(ProcessReport(child.Role, child.ProcessId, exitCode, heap));
            }

            var result = counters.Report();
            result["mode"] = "processes";
            result["seconds"] = seconds;
            result["query_processes"] = readers;
            result["processes"] = processes;
            return Finish(result);
        }
        finally
        {
            foreach (var child in children)
            {
                child.Dispose();
            }
        }
    }

    private static async Task<int> RunWriterRoleAsync(ParseResult args)
    {
        _role = $"writer {Environment.ProcessId}";
        var seed = args.GetValue(SeedOption);
        using var embedder = new MiniLMTextEmbedder();
        var corpus = new SoakCorpus(seed);
        corpus.EmbedSentences(embedder);
        var counters = new SoakCounters();
        using var log = SoakDeletionLog.CreateForWriting(ChildPath(args, DeletionLogOption));
        using var index = HybridIndex.Open(ChildPath(args, IndexOption), SoakCorpus.IndexOptions(embedder.Info));
        var writer = new SoakWriter(index, corpus, counters, args.GetValue(CommitEveryOption), seed, log.Append);
        writer.Seed(args.GetValue(RecordsOption));
        var liveAtStart = writer.LiveRecords;
        var segmentsAtStart = index.GetStats().LuceneSegments;
        var until = await ReadyAndWaitAsync();

        var heap = new HeapSampler();
        heap.Sample("start");
        using var stop = new CancellationTokenSource(Remaining(until));
        var running = Task.Run(() => writer.Run(stop.Token));
        await SampleDuringAsync(heap, until);
        await running;

        // What a reader opening the index now sees must be what the writer wrote.
        using (var reader = HybridIndex.OpenReadOnly(ChildPath(args, IndexOption)))
        {
            writer.VerifyFinal(reader);
        }

        heap.Sample("end");
        var report = counters.Report();
        report["role"] = "writer";
        report["live_records_start"] = liveAtStart;
        report["live_records_end"] = writer.LiveRecords;
        report["segments_start"] = segmentsAtStart;
        report["segments_end"] = index.GetStats().LuceneSegments;
        foreach (var (name, value) in heap.Report())
        {
            report[name] = value;
        }

        return Finish(report);
    }

    private static async Task<int> RunReaderRoleAsync(ParseResult args)
    {
        _role = $"reader {Environment.ProcessId}";
        var seed = args.GetValue(SeedOption);
        using var embedder = new CachingTextEmbedder(new MiniLMTextEmbedder());
        var corpus = new SoakCorpus(seed);
        var counters = new SoakCounters();
        var deletions = new SoakDeletions();
        using var log = SoakDeletionLog.OpenForReading(ChildPath(args, DeletionLogOption));
        using var index = HybridIndex.OpenReadOnly(ChildPath(args, IndexOption));
        var searcher = new HybridSearcher(index, embedder);
        var lastReopen = Stopwatch.StartNew();

        // Reopen to the newest commit; deletions logged before the reopen started are visible in it.
        void Reopen()
        {
            if (lastReopen.ElapsedMilliseconds < ReopenIntervalMs)
            {
                return;
            }

            var committed = log.ReadNew();
            index.Refresh();
            deletions.Publish(committed);
            counters.Reopen();
            lastReopen.Restart();
        }

        var worker = new SoakQueryWorker(index, searcher, corpus, deletions, counters, seed, Reopen);
        await worker.WarmUpAsync();
        var until = await ReadyAndWaitAsync();

        var heap = new HeapSampler();
        heap.Sample("start");
        using var stop = new CancellationTokenSource(Remaining(until));
        var running = Task.Run(() => worker.RunAsync(stop.Token));
        await SampleDuringAsync(heap, until);
        await running;
        heap.Sample("end");

        var report = counters.Report();
        report["role"] = "reader";
        foreach (var (name, value) in heap.Report())
        {
            report[name] = value;
        }

        return Finish(report);
    }

    /// <summary>Tells the parent this process is ready, then waits for <c>go UNTIL_UNIX_MS</c> on stdin.</summary>
    private static async Task<long> ReadyAndWaitAsync()
    {
        Console.WriteLine("ready");
        var line = await Console.In.ReadLineAsync() ?? throw new InvalidDataException("stdin closed before 'go'.");
        return line.StartsWith("go ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            ? until
            : throw new InvalidDataException($"expected 'go UNTIL_MS' on stdin, got '{line}'.");
    }

    private static TimeSpan Remaining(long until) =>
        TimeSpan.FromMilliseconds(Math.Max(0, until - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>Samples the heap at a quarter, half and three quarters of the run, so a trend shows.</summary>
    private static async Task SampleDuringAsync(HeapSampler heap, long until)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (moment, fraction) in new[] { ("q1", 0.25), ("mid", 0.5), ("q3", 0.75) })
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, start + ((until - start) * fraction) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
            heap.Sample(moment);
        }
    }

    private static Dictionary<string, object> ProcessReport(string role, int processId, int? exitCode, Dictionary<string, object> heap)
    {
        var report = new Dictionary<string, object>(StringComparer.Ordinal) { ["role"] = role, ["pid"] = processId };
        if (exitCode is { } code)
        {
            report["exit_code"] = code;
        }

        foreach (var (name, value) in heap)
        {
            report[name] = value;
        }

        return report;
    }

    private static int Finish(Dictionary<string, object> report)
    {
        Console.WriteLine(JsonSerializer.Serialize(report));
        var failed = new[] { "errors", "torn_records", "stale_deleted_hits", "final_mismatches" }.Sum(name => Convert.ToInt64(report[name], CultureInfo.InvariantCulture));
        return failed == 0 ? 0 : 1;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
