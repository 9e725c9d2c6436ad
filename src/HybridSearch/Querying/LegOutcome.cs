using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>What one leg returned: its records best first (at most its window), the BM25 query it ran (for
/// explanations and snippets), and its timings. kNN legs also keep the query vectors they searched with (field and
/// vector, one per probe of the visual leg), from which a shard samples its background (<see cref="KnnBackground"/>).</summary>
internal sealed record LegOutcome(SearchLeg Leg, List<LegCandidate> Candidates, Query? Bm25Query, int Window, TimeSpan Embedding, TimeSpan Search, float? ScoreFloor = null,
    IReadOnlyList<(string Field, float[] Vector)>? Probes = null)
{
    private Dictionary<string, LegCandidate>? _byRecord;

    public LegCandidate this[string recordId] => (_byRecord ??= Candidates.ToDictionary(c => c.RecordId, StringComparer.Ordinal))[recordId];
}
