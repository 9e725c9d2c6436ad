using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace HybridSearch.Embedding;

/// <summary>
/// CLIP's image preprocessing (as in OpenAI's <c>clip.load</c> transform and Hugging Face's <c>CLIPImageProcessor</c>):
/// resize the shortest side to the input size with bicubic resampling, centre-crop a square, scale to 0–1, then
/// normalise each channel with CLIP's mean and standard deviation. Output is planar R, G, B.
/// </summary>
public static class ClipImagePreprocessor
{
    /// <summary>The usual input side of CLIP vision towers.</summary>
    public const int DefaultSize = 224;

    /// <summary>CLIP's per-channel mean (R, G, B) on the 0–1 scale.</summary>
    public static readonly (float R, float G, float B) Mean = (0.48145466f, 0.4578275f, 0.40821073f);

    /// <summary>CLIP's per-channel standard deviation (R, G, B) on the 0–1 scale.</summary>
    public static readonly (float R, float G, float B) StandardDeviation = (0.26862954f, 0.26130258f, 0.27577711f);

    /// <summary>Writes the normalised input for <paramref name="image"/> into <paramref name="destination"/>.</summary>
    /// <param name="image">The decoded image; it is not modified.</param>
    /// <param name="destination">At least 3 × <paramref name="size"/>² floats.</param>
    /// <param name="size">Side of the square model input.</param>
    public static void WriteTensor(Image<Rgb24> image, Span<float> destination, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (destination.Length < 3 * size * size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; one image needs {3 * size * size}.", nameof(destination));
        }

        // Shortest side to `size` (rounded like torchvision's Resize), then the centre square.
        double scale = (double)size / Math.Min(image.Width, image.Height);
        int width = Math.Max(size, (int)Math.Round(image.Width * scale));
        int height = Math.Max(size, (int)Math.Round(image.Height * scale));
        using Image<Rgb24> resized = image.Clone(context => context
            .Resize(width, height, KnownResamplers.Bicubic)
            .Crop(new Rectangle((width - size) / 2, (height - size) / 2, size, size)));
        PixelTensorWriter.WritePlanar(resized, destination, scale: 1f / 255f, Mean, StandardDeviation);
    }
}
