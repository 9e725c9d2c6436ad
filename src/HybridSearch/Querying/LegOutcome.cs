using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>What one leg returned: its records best first (at most its window), the BM25 query it ran (for
/// explanations and snippets), and its timings.</summary>
internal sealed record LegOutcome(SearchLeg Leg, List<LegCandidate> Candidates, Query? Bm25Query, int Window, TimeSpan Embedding, TimeSpan Search, float? ScoreFloor = null)
{
    private Dictionary<string, LegCandidate>? _byRecord;

    public LegCandidate this[string recordId] => (_byRecord ??= Candidates.ToDictionary(c => c.RecordId, StringComparer.Ordinal))[recordId];
}
