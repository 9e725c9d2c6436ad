using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Embedding;

/// <summary>Turns decoded images into vectors. Implementations are thread-safe and apply their own preprocessing.</summary>
public interface IImageEmbedder : IDisposable
{
    /// <summary>The model, its dimension and similarity.</summary>
    EmbedderInfo Info { get; }

    /// <summary>Embeds each image to one L2-normalised vector (batched inference).</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<Image<Rgb24>> images, CancellationToken cancellationToken = default);
}
