namespace HybridSearch.Embedding;

/// <summary>
/// A text embedder that can cut a long text into windows and give each window its own vector, so a long record is
/// indexed as several passages instead of one averaged vector. The ingestion pipeline uses this when the text embedder
/// offers it, and <see cref="ITextEmbedder.Embed"/> (one vector per text) otherwise.
/// </summary>
public interface IChunkingTextEmbedder : ITextEmbedder
{
    /// <summary>Splits each text into the model's windows and embeds each window.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="progress">Told after each model run how many of the texts' windows are embedded; null for none.</param>
    /// <param name="cancellationToken">Stops between (and inside) model runs.</param>
    /// <returns>Per text, its windows in order with their character spans and unit-length vectors; every text yields
    /// at least one window.</returns>
    IReadOnlyList<IReadOnlyList<TextChunkEmbedding>> EmbedChunks(IReadOnlyList<string> texts, IProgress<ChunkEmbeddingProgress>? progress, CancellationToken cancellationToken = default);
}
