namespace HybridSearch.Graph;

/// <summary>
/// Scores a pair of stored vectors by ordinal; a HIGHER score means MORE similar. Used by
/// <see cref="HnswGraphBuilder"/>. Implement it on a struct so the JIT specialises and inlines the builder for it.
/// </summary>
public interface IHnswScorer
{
    /// <summary>Similarity of the vectors with ordinals <paramref name="ordA"/> and <paramref name="ordB"/> (higher = closer). Must be symmetric.</summary>
    float Score(int ordA, int ordB);

    /// <summary>Hints the CPU to start loading vector <paramref name="ord"/> before it is scored; a hint only, it never
    /// faults and may do nothing. The graph calls it for the next candidate while it scores the current one.</summary>
    /// <param name="ord">Ordinal of the vector about to be scored.</param>
    void Prefetch(int ord);
}
