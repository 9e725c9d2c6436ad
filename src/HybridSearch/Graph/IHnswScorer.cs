namespace HybridSearch.Graph;

/// <summary>
/// Scores a pair of stored vectors by ordinal; a HIGHER score means MORE similar. Used by
/// <see cref="HnswGraphBuilder"/>. Implement it on a struct so the JIT specialises and inlines the builder for it.
/// </summary>
public interface IHnswScorer
{
    /// <summary>Similarity of the vectors with ordinals <paramref name="ordA"/> and <paramref name="ordB"/> (higher = closer). Must be symmetric.</summary>
    float Score(int ordA, int ordB);
}
