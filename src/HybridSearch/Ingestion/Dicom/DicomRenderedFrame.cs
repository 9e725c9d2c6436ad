using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>An 8-bit frame ready to be seen or embedded: grey (1 channel) or RGB (3 channels), row by row.</summary>
public sealed class DicomRenderedFrame
{
    internal DicomRenderedFrame(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Width × height × channels bytes.</summary>
    public byte[] Pixels { get; }

    /// <summary>The frame as an RGB image (grey repeated in the three channels), the form the embedders take.</summary>
    public Image<Rgb24> ToRgbImage()
    {
        var image = new Image<Rgb24>(Width, Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var o = y * Width * Channels;
                for (var x = 0; x < row.Length; x++, o += Channels)
                {
                    row[x] = Channels == 1 ? new Rgb24(Pixels[o], Pixels[o], Pixels[o]) : new Rgb24(Pixels[o], Pixels[o + 1], Pixels[o + 2]);
                }
            }
        });
        return image;
    }
}
