namespace HybridSearch.Graph;

/// <summary>
/// Scores stored vectors against one fixed query; a HIGHER score means MORE similar. Used by
/// <see cref="HnswGraphSearcher"/>. Implement it on a struct so the JIT specialises and inlines the search for it.
/// </summary>
public interface IHnswQueryScorer
{
    /// <summary>Similarity of the stored vector with ordinal <paramref name="ord"/> to the query (higher = closer).</summary>
    float Score(int ord);
}
