using HybridSearch.Embedding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// Image preparations an <see cref="IngestionPipeline"/> runs on its decode workers so that the resize an embedder
/// would do on the inference thread is done ahead, in parallel, and the decoded original can be released early.
/// A preparation must leave the embedder's vector unchanged.
/// </summary>
public static class EmbedderImagePreparation
{
    /// <summary>
    /// The resize <see cref="ResNetImagePreprocessor"/> applies (bicubic to 224×224, centre crop or stretch), done
    /// ahead. The embedder's own resize of the 224×224 result is then an exact copy (ImageSharp skips a resize to the
    /// same size), so the vector is bit-identical to embedding the original image.
    /// </summary>
    /// <param name="fit">Must match the embedder's <see cref="ResNet18ImageEmbedderOptions.Fit"/>.</param>
    public static Func<Image<Rgb24>, Image<Rgb24>> ResNet18(ImageFit fit = ImageFit.CenterCrop)
    {
        var options = new ResizeOptions
        {
            Size = new Size(ResNetImagePreprocessor.Size, ResNetImagePreprocessor.Size),
            Mode = fit == ImageFit.Stretch ? ResizeMode.Stretch : ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
            Sampler = KnownResamplers.Bicubic,
        };
        return image =>
        {
            ArgumentNullException.ThrowIfNull(image);
            return image.Clone(context => context.Resize(options));
        };
    }

    /// <summary>
    /// The resize <see cref="ClipImagePreprocessor"/> applies (shortest side to <paramref name="size"/>, bicubic,
    /// rounded as torchvision does, then the centre square), done ahead. On the <paramref name="size"/>² result the
    /// preprocessor's own resize and crop are exact copies, so the model input is bit-identical.
    /// </summary>
    /// <param name="size">Must match the CLIP model's input side (<see cref="ClipImagePreprocessor.DefaultSize"/>).</param>
    public static Func<Image<Rgb24>, Image<Rgb24>> Clip(int size = ClipImagePreprocessor.DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return image =>
        {
            ArgumentNullException.ThrowIfNull(image);
            double scale = (double)size / Math.Min(image.Width, image.Height);
            int width = Math.Max(size, (int)Math.Round(image.Width * scale));
            int height = Math.Max(size, (int)Math.Round(image.Height * scale));
            return image.Clone(context => context
                .Resize(width, height, KnownResamplers.Bicubic)
                .Crop(new Rectangle((width - size) / 2, (height - size) / 2, size, size)));
        };
    }
}
