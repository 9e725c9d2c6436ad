using System.Collections.Concurrent;

namespace HybridSearch.Benchmarks;

/// <summary>What a soak process did and every problem it saw; problems are logged (the first few in full) and
/// sampled into the report.</summary>
internal sealed class SoakCounters
{
    private const int LoggedProblems = 20;
    private readonly ConcurrentQueue<string> _samples = new();
    private long _queries;
    private long _hitsChecked;
    private long _recordsChecked;
    private long _upserts;
    private long _deletes;
    private long _commits;
    private long _reopens;
    private long _errors;
    private long _tornRecords;
    private long _staleDeletedHits;
    private long _finalMismatches;
    private long _logged;

    public void Query(int hits)
    {
        Interlocked.Increment(ref _queries);
        Interlocked.Add(ref _hitsChecked, hits);
    }

    public void RecordChecked() => Interlocked.Increment(ref _recordsChecked);

    public void Upsert() => Interlocked.Increment(ref _upserts);

    public void Delete() => Interlocked.Increment(ref _deletes);

    public void Commit() => Interlocked.Increment(ref _commits);

    public void Reopen() => Interlocked.Increment(ref _reopens);

    /// <summary>Any exception, anywhere: the soak counts it and goes on.</summary>
    public void Error(string where, Exception exception)
    {
        Interlocked.Increment(ref _errors);
        Problem($"error in {where}: {exception.GetType().Name}: {exception.Message}", exception);
    }

    public void Torn(string problem)
    {
        Interlocked.Increment(ref _tornRecords);
        Problem($"torn: {problem}", null);
    }

    public void StaleDeleted(string problem)
    {
        Interlocked.Increment(ref _staleDeletedHits);
        Problem($"stale: {problem}", null);
    }

    /// <summary>After the run, the index disagrees with what the writer wrote (a record lost, of another version, or
    /// not deleted).</summary>
    public void FinalMismatch(string problem)
    {
        Interlocked.Increment(ref _finalMismatches);
        Problem($"final: {problem}", null);
    }

    /// <summary>Adds a child process's counts (from its report) to these.</summary>
    public void Add(IReadOnlyDictionary<string, long> counts)
    {
        long Get(string name) => counts.TryGetValue(name, out var value) ? value : 0;
        Interlocked.Add(ref _queries, Get("queries"));
        Interlocked.Add(ref _hitsChecked, Get("hits_checked"));
        Interlocked.Add(ref _recordsChecked, Get("records_checked"));
        Interlocked.Add(ref _upserts, Get("upserts"));
        Interlocked.Add(ref _deletes, Get("deletes"));
        Interlocked.Add(ref _commits, Get("commits"));
        Interlocked.Add(ref _reopens, Get("reopens"));
        Interlocked.Add(ref _errors, Get("errors"));
        Interlocked.Add(ref _tornRecords, Get("torn_records"));
        Interlocked.Add(ref _staleDeletedHits, Get("stale_deleted_hits"));
        Interlocked.Add(ref _finalMismatches, Get("final_mismatches"));
    }

    /// <summary>Keeps a child process's problem samples for the report.</summary>
    public void AddSamples(IEnumerable<string> samples)
    {
        foreach (var sample in samples.Take(5))
        {
            _samples.Enqueue(sample);
        }
    }

    public Dictionary<string, object> Report() => new(StringComparer.Ordinal)
    {
        ["queries"] = Interlocked.Read(ref _queries),
        ["hits_checked"] = Interlocked.Read(ref _hitsChecked),
        ["records_checked"] = Interlocked.Read(ref _recordsChecked),
        ["upserts"] = Interlocked.Read(ref _upserts),
        ["deletes"] = Interlocked.Read(ref _deletes),
        ["commits"] = Interlocked.Read(ref _commits),
        ["reopens"] = Interlocked.Read(ref _reopens),
        ["errors"] = Interlocked.Read(ref _errors),
        ["torn_records"] = Interlocked.Read(ref _tornRecords),
        ["stale_deleted_hits"] = Interlocked.Read(ref _staleDeletedHits),
        ["final_mismatches"] = Interlocked.Read(ref _finalMismatches),
        ["problem_samples"] = _samples.Take(5).ToArray(),
    };

    private void Problem(string message, Exception? exception)
    {
        if (_samples.Count < 5)
        {
            _samples.Enqueue(message);
        }

        if (Interlocked.Increment(ref _logged) <= LoggedProblems)
        {
            SoakBenchmark.Log(exception is null ? message : $"{message}\n{exception}");
        }
    }
}
