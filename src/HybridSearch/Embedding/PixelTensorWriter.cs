using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Embedding;

/// <summary>Copies RGB pixels into a planar (C, H, W) float tensor with per-channel affine normalisation.</summary>
internal static class PixelTensorWriter
{
    /// <summary>Writes <c>(pixel * scale - mean) / std</c> per channel, R plane first.</summary>
    public static void WritePlanar(Image<Rgb24> image, Span<float> destination, float scale, (float R, float G, float B) mean, (float R, float G, float B) std)
    {
        int planeLength = image.Width * image.Height;
        if (destination.Length < 3 * planeLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; the image needs {3 * planeLength}.", nameof(destination));
        }

        var pixels = new Rgb24[planeLength];
        image.CopyPixelDataTo(pixels);
        Span<float> red = destination[..planeLength];
        Span<float> green = destination.Slice(planeLength, planeLength);
        Span<float> blue = destination.Slice(2 * planeLength, planeLength);
        float rScale = scale / std.R, gScale = scale / std.G, bScale = scale / std.B;
        float rOffset = mean.R / std.R, gOffset = mean.G / std.G, bOffset = mean.B / std.B;
        for (int i = 0; i < pixels.Length; i++)
        {
            Rgb24 pixel = pixels[i];
            red[i] = pixel.R * rScale - rOffset;
            green[i] = pixel.G * gScale - gOffset;
            blue[i] = pixel.B * bScale - bOffset;
        }
    }
}
