using HybridSearch.Embedding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Cluster.Grains;

/// <summary>Stands in for the coordinator's image embedder on a shard: query images arrive embedded (the coordinator
/// decoded and embedded them once, <see cref="Querying.QueryImage"/> carries the vectors), so the shard's searcher
/// only needs the real embedder's name, dimension and similarity, which the index checks; it never embeds.</summary>
internal sealed class PrecomputedImageEmbedder(EmbedderInfo info) : IImageEmbedder
{
    public EmbedderInfo Info { get; } = info;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<Image<Rgb24>> images, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"Shard query images arrive embedded by '{Info.Name}'; a shard never decodes or embeds an image.");

    public void Dispose()
    {
    }
}
