namespace HybridSearch.Embedding;

/// <summary>How far a chunked text embedding is: windows embedded so far of all the windows of the texts in the call.</summary>
/// <param name="Embedded">Windows embedded so far.</param>
/// <param name="Total">Windows in the call.</param>
public sealed record ChunkEmbeddingProgress(int Embedded, int Total);
