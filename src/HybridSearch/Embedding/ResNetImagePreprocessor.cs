using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace HybridSearch.Embedding;

/// <summary>
/// Turns an image into the input of ML.NET's <c>ResNetPreprocess.onnx</c>: 224×224, planar (channel, row, column),
/// channels in R, G, B order, values 0–255 as float. The preprocessing model itself reorders to BGR and subtracts
/// its per-pixel mean image, so no scaling happens here.
/// </summary>
public static class ResNetImagePreprocessor
{
    /// <summary>Side of the square input in pixels.</summary>
    public const int Size = 224;

    /// <summary>Number of floats one image occupies (3 × 224 × 224).</summary>
    public const int TensorLength = 3 * Size * Size;

    /// <summary>Writes the model input for <paramref name="image"/> into <paramref name="destination"/>.</summary>
    /// <param name="image">The decoded image; it is not modified.</param>
    /// <param name="destination">At least <see cref="TensorLength"/> floats.</param>
    /// <param name="fit">How a non-square image is fitted; <see cref="ImageFit.CenterCrop"/> matches ML.NET.</param>
    public static void WriteTensor(Image<Rgb24> image, Span<float> destination, ImageFit fit = ImageFit.CenterCrop)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length < TensorLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; one image needs {TensorLength}.", nameof(destination));
        }

        var options = new ResizeOptions
        {
            Size = new Size(Size, Size),
            Mode = fit == ImageFit.Stretch ? ResizeMode.Stretch : ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
            Sampler = KnownResamplers.Bicubic,
        };
        using Image<Rgb24> resized = image.Clone(context => context.Resize(options));
        PixelTensorWriter.WritePlanar(resized, destination, scale: 1f, mean: default, std: (1f, 1f, 1f));
    }
}
