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
/// </summary>
internal sealed class VectorMergePolicy : TieredMergePolicy
{
    /// <summary>Segments an index may hold before the idle ones are folded into the largest.</summary>
    public const int MaxSegmentsBeforeFold = 3;

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

    /// <inheritdoc />
    public override MergeSpecification? FindMerges(MergeTrigger mergeTrigger, SegmentInfos infos)
    {
        ArgumentNullException.ThrowIfNull(infos);
        var merging = m_writer.Get().MergingSegments;
        var idle = infos.Segments.Where(info => !merging.Contains(info)).ToList();
        if (idle.Count <= MaxSegmentsBeforeFold)
        {
            return null;
        }

        var sizes = idle.ToDictionary(info => info, Size);
        if (sizes.Values.Max() >= MaxMergedSegmentMB * 1024 * 1024)
        {
            return base.FindMerges(mergeTrigger, infos);
        }

        var spec = new MergeSpecification();
        spec.Add(new OneMerge(idle.OrderByDescending(info => sizes[info]).ToList()));
        return spec;
    }
}
