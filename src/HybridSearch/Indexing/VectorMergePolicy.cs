using Lucene.Net.Index;

namespace HybridSearch.Indexing;

/// <summary>
/// The merge policy and scheduler settings of a <see cref="HybridIndex"/> writer. Every segment costs a kNN query a
/// graph walk of its own, so an index with vectors wants few segments; and a merge starts from its largest incoming
/// graph, so folding small segments into a large one costs little more than inserting the small ones. Lucene's tiered
/// policy with <see cref="HybridIndexOptions.SegmentsPerTier"/> (default 2, Lucene's 10) left a 200,000 x 512 index
/// committed every 10,000 records at 2 segments after close, where Lucene's defaults left 11 (knn benchmark,
/// --write-path library).
/// </summary>
internal static class VectorMergePolicy
{
    /// <summary>Merges that may wait before an indexing thread is stalled, and merges run at once: merges stay in the
    /// background (a large one does not hold back the small ones behind it), and writers are not stalled by them.</summary>
    public const int MaxPendingMerges = 6;

    /// <summary>Merge threads (each merge builds its graph on up to <see cref="Codecs.VectorFieldOptions.MaxAutoBuildThreads"/> threads).</summary>
    public const int MaxMergeThreads = 2;

    /// <summary>A tiered merge policy with <paramref name="segmentsPerTier"/> segments per tier.</summary>
    public static TieredMergePolicy Create(double segmentsPerTier) => new()
    {
        SegmentsPerTier = segmentsPerTier,
    };

    /// <summary>Applies the bounds on pending merges and merge threads to <paramref name="scheduler"/>.</summary>
    public static void Configure(ConcurrentMergeScheduler scheduler) => scheduler.SetMaxMergesAndThreads(MaxPendingMerges, MaxMergeThreads);
}
