using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Embedding;

/// <summary>Images drawn in code for the embedding tests.</summary>
internal static class TestImages
{
    public static Image<Rgb24> Filled(int width, int height, Rgb24 color)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                accessor.GetRowSpan(y).Fill(color);
            }
        });
        return image;
    }

    /// <summary>A square of <paramref name="square"/> on a light grey background, offset by <paramref name="shift"/> pixels.</summary>
    public static Image<Rgb24> SquareOnGrey(Rgb24 square, int shift)
    {
        var image = Filled(256, 256, new Rgb24(220, 220, 220));
        for (int y = 64 + shift; y < 192 + shift; y++)
        {
            for (int x = 64 + shift; x < 192 + shift; x++)
            {
                image[x, y] = square;
            }
        }

        return image;
    }

    /// <summary>Horizontal blue and white stripes.</summary>
    public static Image<Rgb24> BlueStripes()
    {
        var image = Filled(256, 256, new Rgb24(255, 255, 255));
        for (int y = 0; y < 256; y++)
        {
            if ((y / 16) % 2 == 0)
            {
                for (int x = 0; x < 256; x++)
                {
                    image[x, y] = new Rgb24(20, 40, 220);
                }
            }
        }

        return image;
    }

    /// <summary>Deterministic noise, so each pixel differs and resizing is exercised.</summary>
    public static Image<Rgb24> Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        return image;
    }
}
