using HybridSearch.Fusion;

namespace HybridSearch.Querying;

/// <summary>One page of a hybrid search, with how it was computed.</summary>
/// <param name="Hits">The page, best first.</param>
/// <param name="TotalFused">Length of the fused list the page was cut from (records found by any leg within its window).</param>
/// <param name="Offset">Hits skipped before the page.</param>
/// <param name="PageSize">Requested page size.</param>
/// <param name="Windows">The candidate window of every leg that ran.</param>
/// <param name="Fusion">The fusion settings used.</param>
/// <param name="Timings">Per leg that ran: embedding time, search time, candidates.</param>
/// <param name="Elapsed">Wall-clock time of the whole search (legs run concurrently, so less than their sum).</param>
public sealed record HybridSearchResults(
    IReadOnlyList<SearchHit> Hits,
    int TotalFused,
    int Offset,
    int PageSize,
    IReadOnlyDictionary<SearchLeg, int> Windows,
    FusionOptions Fusion,
    IReadOnlyList<LegTiming> Timings,
    TimeSpan Elapsed)
{
    /// <summary>Per leg, the signals fusion read and the weight they produced (<see cref="ScoreFusion.Signals"/>);
    /// filled when explanations were asked for, empty otherwise.</summary>
    public IReadOnlyList<LegSignal> LegSignals { get; init; } = [];
}
