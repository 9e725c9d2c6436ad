using Lucene.Net.Index;

namespace HybridSearch.Indexing;

/// <summary>
/// Lucene's concurrent merge scheduler, except that a failed background merge is remembered instead of rethrown on
/// the merge thread (where, in .NET, it would end the process). The writer verifies every segment's checksums before
/// merging it (<see cref="LiveIndexWriterConfig.CheckIntegrityAtMerge"/>), so a damaged segment fails its merge rather
/// than being copied into a new segment with a fresh, valid checksum; <see cref="HybridIndex.Commit"/> then reports
/// the failure as an <see cref="IndexCorruptException"/>.
/// </summary>
internal sealed class CorruptionAwareMergeScheduler : ConcurrentMergeScheduler
{
    private Exception? _failure;
    private long _mergeTicks;

    /// <summary>Wall time spent in merges so far (summed over merge threads, so it can exceed elapsed time).</summary>
    public TimeSpan MergeTime => TimeSpan.FromTicks(Interlocked.Read(ref _mergeTicks));

    /// <summary>The first merge failure since the last call, or null.</summary>
    public Exception? TakeFailure() => Interlocked.Exchange(ref _failure, null);

    /// <inheritdoc />
    protected override void DoMerge(MergePolicy.OneMerge merge)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            base.DoMerge(merge);
        }
        finally
        {
            Interlocked.Add(ref _mergeTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    /// <inheritdoc />
    protected override void HandleMergeException(Exception exc)
    {
        Interlocked.CompareExchange(ref _failure, exc, null);

        // As Lucene's own handler does: a pause, so a merge that fails at once is not retried in a hot loop.
        Thread.Sleep(250);
    }
}
