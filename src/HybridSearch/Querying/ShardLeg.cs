using HybridSearch.Fusion;

namespace HybridSearch.Querying;

/// <summary>
/// One leg of a query as one shard ran it, before fusion: its window of records best first (already grouped by
/// record, children folded into their parent), and what the coordinator needs to set the leg's score range.
/// </summary>
/// <param name="Leg">Which leg.</param>
/// <param name="Hits">Record ids and scores, best first (ties by id), at most <paramref name="Window"/>.</param>
/// <param name="Window">The leg's window (records taking part in fusion).</param>
/// <param name="ScoreFloor">kNN legs: the score an unrelated document of this shard gets for the query vector; null for BM25 legs.</param>
/// <param name="Bm25Ceiling">BM25 legs: the score of a full match of the query under the statistics the shard scored with; null for kNN legs.</param>
/// <param name="Documents">Live documents in the shard.</param>
/// <param name="Search">Time the shard spent on the leg.</param>
/// <param name="Backgrounds">kNN legs: the query's scores against the shard's bottom-k sketch of each searched field,
/// one per query vector in the leg's order (the semantic leg has one, the visual leg one per image and model), which
/// the coordinator merges into the collection's background scores (<see cref="ScoreFloor"/> is the shard's own);
/// null for BM25 legs.</param>
/// <param name="QueryAsLongAsRecords">The lexical leg: whether its query is a sentence as long as the records it searches,
/// under the statistics the shard scored with (<see cref="RankedLeg.QueryAsLongAsRecords"/>); false for other legs.</param>
public sealed record ShardLeg(SearchLeg Leg, IReadOnlyList<LegHit> Hits, int Window, float? ScoreFloor, float? Bm25Ceiling, long Documents, TimeSpan Search,
    IReadOnlyList<KnnBackgroundSample>? Backgrounds = null, bool QueryAsLongAsRecords = false);
