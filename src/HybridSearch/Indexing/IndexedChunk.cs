namespace HybridSearch.Indexing;

/// <summary>A chunk of a record's title and text with its semantic vector, ready to index.</summary>
/// <param name="Start">Character offset of the chunk in the record's title + "\n" + text.</param>
/// <param name="End">Character offset where the chunk ends.</param>
/// <param name="Vector">The chunk's vector for <see cref="IndexFieldNames.TextVector"/>.</param>
public sealed record IndexedChunk(int Start, int End, float[] Vector);
