using HybridSearch.Indexing;

namespace HybridSearch.Querying;

/// <summary>One record as a leg found it: the record id, the leg's score, and the best-matching document (record or
/// child) that earned the score.</summary>
/// <param name="RecordId">The parent record id.</param>
/// <param name="Score">The best child's score (or the visual leg's combination over probes).</param>
/// <param name="Doc">Top-level Lucene doc id of the best child, in the searcher the leg ran on.</param>
/// <param name="Kind">The kind of the record's best document.</param>
internal readonly record struct LegCandidate(string RecordId, float Score, int Doc, DocumentKind Kind);
