using HybridSearch.Embedding;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// The book of one <see cref="IngestionRun"/>: items seen, indexed, done and failed, the failures and warnings to
/// report, records upserted since the last commit, and progress. Written by the indexing stage; progress is also told
/// from the embedding stage (long texts), so every report goes through one lock and reads counts that never go back.
/// </summary>
internal sealed class IngestionLedger(IProgress<IngestionProgress>? progress)
{
    /// <summary>Windows in one embedder call above which the call's own progress is reported: a batch with a text this
    /// long (tens of kilobytes) takes seconds, and a 1 MiB record a minute.</summary>
    private const int ChunkReportThreshold = 32;

    private readonly List<IngestionFailure> _failures = [];
    private readonly List<string> _warnings = [];
    private readonly object _progressGate = new();
    private int _total = -1;
    private int _items;
    private int _done;
    private int _failed;
    private int _indexed;

    /// <summary>Records upserted since the last commit.</summary>
    public int Uncommitted { get; private set; }

    /// <summary>Tells the ledger how many items the source produced (once the reader has seen them all).</summary>
    public void SetTotal(int total) => Volatile.Write(ref _total, total);

    /// <summary>Records an item the source could not read (a bad manifest line): a failure, nothing indexed.</summary>
    public void SourceFailed(IngestionException error)
    {
        _items++;
        _failures.Add(new IngestionFailure(error.SourcePath, error.LineNumber, error.Reason, null, RecordIndexed: false));
        Finish(problem: true);
    }

    /// <summary>Records a record the index accepted, with the problems of its media and its warnings.</summary>
    public void Indexed(PipelineItem item, string recordId)
    {
        _items++;
        _indexed++;
        Uncommitted++;
        Finish(MediaProblems(item, recordId, indexed: true));
    }

    /// <summary>Records a record the index refused (schema or vector), with the problems of its media.</summary>
    public void Refused(PipelineItem item, string recordId, Exception reason)
    {
        _items++;
        _failures.Add(new IngestionFailure(recordId, null, $"the index refused the record: {reason.Message}", recordId, RecordIndexed: false));
        MediaProblems(item, recordId, indexed: false);
        Finish(problem: true);
    }

    /// <summary>Notes that pending records were committed.</summary>
    public void Committed() => Uncommitted = 0;

    /// <summary>The run's outcome so far.</summary>
    public IngestionSummary Summary(TimeSpan elapsed) =>
        new(_items, _indexed, _failed, _failures.ToArray(), _warnings.ToArray(), elapsed);

    /// <summary>Tells the caller's progress the final counts (no current item).</summary>
    public void ReportFinished() => Report(new IngestionProgress(_done, _items, _failed, null));

    /// <summary>A progress sink for one embedder call about <paramref name="item"/>, or null when nobody listens.</summary>
    public IProgress<ChunkEmbeddingProgress>? ChunkProgressFor(string item) =>
        progress is null ? null : new ChunkProgressRelay(this, item);

    private bool MediaProblems(PipelineItem item, string recordId, bool indexed)
    {
        foreach (var media in item.Problems)
        {
            _failures.Add(new IngestionFailure(media.SourcePath, media.LineNumber, media.Reason, recordId, indexed));
        }

        _warnings.AddRange(item.Warnings);
        return item.Problems.Count > 0;
    }

    /// <summary>Tells the caller's progress the counts after the item named <paramref name="current"/>.</summary>
    public void ReportItem(string current) =>
        Report(new IngestionProgress(Volatile.Read(ref _done), KnownTotal, Volatile.Read(ref _failed), current));

    private void Finish(bool problem)
    {
        if (problem)
        {
            Interlocked.Increment(ref _failed);
        }
        else
        {
            Interlocked.Increment(ref _done);
        }
    }

    private int? KnownTotal => Volatile.Read(ref _total) is var total && total < 0 ? null : total;

    private void Report(IngestionProgress value)
    {
        if (progress is not null)
        {
            lock (_progressGate)
            {
                progress.Report(value);
            }
        }
    }

    /// <summary>Turns the text embedder's per-model-run progress into pipeline progress (counts unchanged, the chunks
    /// of the batch being embedded added) for calls long enough to be worth it.</summary>
    private sealed class ChunkProgressRelay(IngestionLedger ledger, string item) : IProgress<ChunkEmbeddingProgress>
    {
        public void Report(ChunkEmbeddingProgress value)
        {
            if (value.Total <= ChunkReportThreshold || ledger.Progress is null)
            {
                return;
            }

            lock (ledger._progressGate)
            {
                // Read under the lock the indexing stage reports under, so the counts never go back.
                ledger.Progress.Report(new IngestionProgress(Volatile.Read(ref ledger._done), ledger.KnownTotal, Volatile.Read(ref ledger._failed), item) { Chunks = value });
            }
        }
    }

    private IProgress<IngestionProgress>? Progress => progress;
}
