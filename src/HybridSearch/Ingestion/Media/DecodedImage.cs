using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Media;

/// <summary>A decoded, upright RGB image and what was done to it. Owns <see cref="Image"/>: dispose it.</summary>
public sealed class DecodedImage : IDisposable
{
    internal DecodedImage(string path, Image<Rgb24> image, string formatName, int storedWidth, int storedHeight, ushort exifOrientation)
    {
        Path = path;
        Image = image;
        FormatName = formatName;
        StoredWidth = storedWidth;
        StoredHeight = storedHeight;
        ExifOrientation = exifOrientation;
    }

    /// <summary>The file it was decoded from.</summary>
    public string Path { get; }

    /// <summary>The pixels, after the EXIF orientation was applied (first frame only for GIF/TIFF).</summary>
    public Image<Rgb24> Image { get; }

    /// <summary>The detected format (from the content, not the extension), e.g. <c>PNG</c>, <c>JPEG</c>.</summary>
    public string FormatName { get; }

    /// <summary>Width as stored in the file, before orientation.</summary>
    public int StoredWidth { get; }

    /// <summary>Height as stored in the file, before orientation.</summary>
    public int StoredHeight { get; }

    /// <summary>The EXIF orientation tag of the file (1 = upright, 6 = rotate 90° clockwise, ...); 1 when absent.</summary>
    public ushort ExifOrientation { get; }

    /// <summary>True when the EXIF orientation was other than upright and the pixels were rotated/flipped.</summary>
    public bool OrientationApplied => ExifOrientation is > 1 and <= 8;

    /// <summary>Releases the pixel buffers.</summary>
    public void Dispose() => Image.Dispose();
}
