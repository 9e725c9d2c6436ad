namespace HybridSearch.Querying;

/// <summary>Where one leg's time went in one search.</summary>
/// <param name="Leg">The leg.</param>
/// <param name="Embedding">Time spent decoding and embedding the query (zero for BM25 legs).</param>
/// <param name="Search">Time spent searching the index and grouping hits by record.</param>
/// <param name="Candidates">Number of records the leg passed to fusion.</param>
public sealed record LegTiming(SearchLeg Leg, TimeSpan Embedding, TimeSpan Search, int Candidates);
