namespace HybridSearch.Embedding;

/// <summary>Turns text into vectors. Implementations are thread-safe.</summary>
public interface ITextEmbedder : IDisposable
{
    /// <summary>The model, its dimension and similarity.</summary>
    EmbedderInfo Info { get; }

    /// <summary>Embeds each text to one vector (batched inference); text longer than the model's window is
    /// chunked and the chunk vectors averaged and re-normalised, never silently truncated.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
