namespace HybridSearch.Graph;

/// <summary>Where a search enters level 0 after the greedy descent through the upper levels.</summary>
/// <param name="Node">The level-0 entry ordinal.</param>
/// <param name="Score">Its similarity to the query.</param>
/// <param name="Scored">Vectors scored by the descent (they count against the visit limit).</param>
/// <param name="Incomplete">True when the descent already hit the visit limit.</param>
/// <param name="Background">How the query scores against unrelated vectors, sampled by the descent.</param>
internal readonly record struct HnswEntry(int Node, float Score, int Scored, bool Incomplete, SimilarityBackground Background);
