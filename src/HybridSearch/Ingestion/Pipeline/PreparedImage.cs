using HybridSearch.Records;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>A decoded image of a record, prepared for each embedder; owns the pixel buffers until disposed.</summary>
internal sealed class PreparedImage : IDisposable
{
    private readonly Image<Rgb24>[] _owned;

    public PreparedImage(RecordImage source, Image<Rgb24> forImageEmbedder, Image<Rgb24>? forClipEmbedder, IEnumerable<Image<Rgb24>> owned)
    {
        Source = source;
        ForImageEmbedder = forImageEmbedder;
        ForClipEmbedder = forClipEmbedder;
        _owned = owned.Distinct().ToArray();
    }

    public RecordImage Source { get; }

    public Image<Rgb24> ForImageEmbedder { get; }

    public Image<Rgb24>? ForClipEmbedder { get; }

    public void Dispose()
    {
        foreach (var image in _owned)
        {
            image.Dispose();
        }
    }
}
