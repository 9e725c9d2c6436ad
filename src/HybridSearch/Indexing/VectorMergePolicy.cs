using Lucene.Net.Index;

namespace HybridSearch.Indexing;

/// <summary>
/// The merge policy of a <see cref="HybridIndex"/> writer. Every segment costs a kNN query a graph walk of its own, so
/// an index with vectors wants few segments; and a merge starts from its largest incoming graph, so folding the small
/// segments into the largest costs about inserting the small ones (plus copying the large one), not rebuilding it.
/// So: once more than <see cref="MaxSegmentsBeforeFold"/> segments are not already merging, all of them merge into one
/// (the largest graph seeds it), as long as the largest is below the tiered policy's maximum merged segment size.
/// Past that size (very large indexes, where copying the largest segment again would dominate), and for forced merges
/// and merges that reclaim deletions, Lucene's tiered policy decides, with
/// <see cref="HybridIndexOptions.SegmentsPerTier"/> segments per tier. Lucene's tiered policy alone is no answer for
/// the small tiers: it never merges fewer than MaxMergeAtOnce (10) segments, so 50,000 vectors committed every 10,000
/// stayed in 5 segments, each searched on its own. Merges run on the concurrent scheduler (<see cref="Configure"/>),
/// so writers do not stall behind them.
/// <para>While the largest segment is itself being merged, the idle segments wait for that fold to finish (unless more
/// than <see cref="MaxSegmentsWhileFolding"/> pile up): folding them together meanwhile grew a second large segment
/// (200,000 vectors committed every 10,000 ended as 100k + 70k + 3 × 10k, each searched on its own). And because Lucene
/// starts no merge while a writer closes, <see cref="HybridIndex.Dispose"/> first asks for a closing fold
/// (<see cref="FoldEverything"/>): a closed index is one segment (below the tiered size), not what the last running
/// fold happened to leave behind.</para>
/// </summary>
internal sealed class VectorMergePolicy : TieredMergePolicy
{
    /// <summary>Segments an index may hold before the idle ones are folded into the largest.</summary>
    public const int MaxSegmentsBeforeFold = 3;

    /// <summary>Idle segments that may pile up while the largest segment is being merged before they are merged
    /// among themselves (bounding the segments a search visits during a long fold).</summary>
    public const int MaxSegmentsWhileFolding = 8;

    /// <summary>Merges that may wait before an indexing thread is stalled.</summary>
    public const int MaxPendingMerges = 6;

    /// <summary>Merges that run at once (a long fold does not hold back a small merge; each merge builds its graph on
    /// up to <see cref="Codecs.VectorFieldOptions.MaxAutoBuildThreads"/> threads).</summary>
    public const int MaxMergeThreads = 2;

    /// <summary>Creates the policy; <paramref name="segmentsPerTier"/> applies where the tiered policy decides.</summary>
    public VectorMergePolicy(double segmentsPerTier) => SegmentsPerTier = segmentsPerTier;

    /// <summary>Applies the bounds on pending merges and merge threads to <paramref name="scheduler"/>.</summary>
    public static void Configure(ConcurrentMergeScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        scheduler.SetMaxMergesAndThreads(MaxPendingMerges, MaxMergeThreads);
    }

    /// <summary>When set (by <see cref="HybridIndex.Dispose"/> just before closing the writer), any two or more idle
    /// segments below the tiered size are folded into the largest, whatever their number.</summary>
    public bool FoldEverything { get; set; }

    /// <inheritdoc />
    public override MergeSpecification? FindMerges(MergeTrigger mergeTrigger, SegmentInfos infos)
    {
        ArgumentNullException.ThrowIfNull(infos);
        if (infos.Count < 2)
        {
            return null;
        }

        var merging = m_writer.Get().MergingSegments;
        var sizes = infos.Segments.ToDictionary(info => info, Size);
        var idle = infos.Segments.Where(info => !merging.Contains(info)).ToList();
        var largestIsMerging = merging.Contains(infos.Segments.MaxBy(info => sizes[info])!);
        var limit = FoldEverything ? 1 : largestIsMerging ? MaxSegmentsWhileFolding : MaxSegmentsBeforeFold;
        if (idle.Count <= limit)
        {
            return null;
        }

        if (idle.Max(info => sizes[info]) >= MaxMergedSegmentMB * 1024 * 1024)
        {
            return FoldEverything ? null : base.FindMerges(mergeTrigger, infos);
        }

        var spec = new MergeSpecification();
        spec.Add(new OneMerge(idle.OrderByDescending(info => sizes[info]).ToList()));
        return spec;
    }
}
