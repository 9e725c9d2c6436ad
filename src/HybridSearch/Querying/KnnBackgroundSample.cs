namespace HybridSearch.Querying;

/// <summary>
/// A query vector's scores against one index's bottom-k sketch of a vector field: the live vectors whose document id
/// has the smallest 64-bit hash (at most 256), in hash order. Sketches of disjoint indexes (the shards of one
/// collection) merge by hash into the sketch of the whole collection, from which its kNN background score — what an
/// unrelated document scores, the floor of bounded-score fusion — is taken exactly as one index would take it.
/// </summary>
/// <param name="Field">The vector field.</param>
/// <param name="KeyHashes">The sampled vectors' id hashes, ascending.</param>
/// <param name="Scores">The query's score against each sampled vector (kNN score units), in the order of <paramref name="KeyHashes"/>.</param>
public sealed record KnnBackgroundSample(string Field, IReadOnlyList<ulong> KeyHashes, IReadOnlyList<float> Scores);
