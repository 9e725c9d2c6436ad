namespace HybridSearch.Graph;

/// <summary>
/// Scores stored vectors against one fixed query; a HIGHER score means MORE similar. Used by
/// <see cref="HnswGraphSearcher"/>. Implement it on a struct so the JIT specialises and inlines the search for it.
/// </summary>
public interface IHnswQueryScorer
{
    /// <summary>Similarity of the stored vector with ordinal <paramref name="ord"/> to the query (higher = closer).</summary>
    float Score(int ord);

    /// <summary>Hints the CPU to start loading vector <paramref name="ord"/> before it is scored; a hint only, it never
    /// faults and may do nothing. The graph calls it for the next candidate while it scores the current one.</summary>
    /// <param name="ord">Ordinal of the vector about to be scored.</param>
    void Prefetch(int ord);
}
