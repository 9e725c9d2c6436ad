using System.Diagnostics;

namespace HybridSearch.Benchmarks;

/// <summary>The managed heap after a full, compacting collection, and the process's resident memory, at named
/// moments of a run; growth is end minus start.</summary>
internal sealed class HeapSampler
{
    private readonly Dictionary<string, (long Heap, long Resident)> _samples = new(StringComparer.Ordinal);

    public void Sample(string moment)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        using var process = Process.GetCurrentProcess();
        lock (_samples)
        {
            _samples[moment] = (heap, process.WorkingSet64);
        }

        SoakBenchmark.Log($"heap at {moment}: {heap / 1048576.0:F1} MiB managed, {process.WorkingSet64 / 1048576.0:F1} MiB resident");
    }

    /// <summary>heap_start/mid/end, heap_growth (end - start), rss_start/end, in bytes.</summary>
    public Dictionary<string, object> Report()
    {
        lock (_samples)
        {
            var report = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var (moment, (heap, resident)) in _samples)
            {
                report[$"heap_{moment}"] = heap;
                report[$"rss_{moment}"] = resident;
            }

            if (_samples.TryGetValue("start", out var start) && _samples.TryGetValue("end", out var end))
            {
                report["heap_growth"] = end.Heap - start.Heap;
                report["rss_growth"] = end.Resident - start.Resident;
            }

            return report;
        }
    }
}
