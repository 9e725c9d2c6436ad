namespace HybridSearch.Fusion;

/// <summary>
/// One candidate of one leg: a record key and the leg's raw score for it. A leg lists its hits best first.
/// </summary>
/// <param name="Key">
/// The record id. Fusion is by record, not by document or vector: the caller groups children (images, transcript
/// segments) by their parent record before fusion, keeping the best child per record.
/// </param>
/// <param name="Score">The leg's own score (BM25, cosine, ...); must be finite.</param>
public readonly record struct LegHit(string Key, float Score);
