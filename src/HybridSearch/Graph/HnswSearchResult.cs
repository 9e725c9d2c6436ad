namespace HybridSearch.Graph;

/// <summary>Result of <see cref="HnswGraphSearcher.Search{TScorer}"/>: the nearest accepted ordinals, best first.</summary>
/// <param name="Ordinals">Ordinals of the hits, best first; only the first <paramref name="Count"/> entries are meaningful.</param>
/// <param name="Scores">Scores of the hits (higher = more similar), parallel to <paramref name="Ordinals"/>.</param>
/// <param name="Count">Number of hits (at most k).</param>
/// <param name="Visited">Number of vectors scored during the search (all levels).</param>
/// <param name="Incomplete">True when the search stopped early because it scored more than the visit limit; the caller should fall back to exact search.</param>
public readonly record struct HnswSearchResult(int[] Ordinals, float[] Scores, int Count, int Visited, bool Incomplete);
