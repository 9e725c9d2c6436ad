using HybridSearch.Ingestion.Media;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace HybridSearch.Tests.Ingestion.Media;

public sealed class BoundedImageDecoderTests : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();
    private readonly BoundedImageDecoder _decoder = new();

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public async Task DecodesPngAndJpegByContentEvenWithTheWrongExtension()
    {
        var png = _fixtures.WriteBytes("a.png", IngestionFixtures.PngBytes(7, 5));
        var pngNamedJpg = _fixtures.WriteBytes("b.jpg", IngestionFixtures.PngBytes(7, 5));
        var jpeg = _fixtures.WriteBytes("c.jpeg", IngestionFixtures.JpegBytes(16, 8));

        using var a = await _decoder.DecodeAsync(png);
        using var b = await _decoder.DecodeAsync(pngNamedJpg);
        using var c = _decoder.Decode(jpeg);

        Assert.Equal((7, 5, "PNG"), (a.Image.Width, a.Image.Height, a.FormatName));
        Assert.Equal("PNG", b.FormatName);
        Assert.Equal((16, 8, "JPEG"), (c.Image.Width, c.Image.Height, c.FormatName));
        Assert.Equal(a.Image[6, 4], b.Image[6, 4]);
        Assert.False(a.OrientationApplied);
    }

    [Fact]
    public void ExifOrientation6IsAppliedAndRecorded()
    {
        var bytes = IngestionFixtures.JpegBytes(40, 20, image =>
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        });
        var path = _fixtures.WriteBytes("rotated.jpg", bytes);

        using var decoded = _decoder.Decode(path);

        Assert.Equal(6, decoded.ExifOrientation);
        Assert.True(decoded.OrientationApplied);
        Assert.Equal((40, 20), (decoded.StoredWidth, decoded.StoredHeight));
        Assert.Equal((20, 40), (decoded.Image.Width, decoded.Image.Height));
    }

    [Fact]
    public void APngHeaderClaiming60000By60000IsRefusedBeforeDecoding()
    {
        var path = _fixtures.WriteBytes("bomb.png", IngestionFixtures.PngHeaderOnly(60000, 60000));

        var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));

        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);
        Assert.Equal(path, error.SourcePath);
        Assert.Contains("60000x60000", error.Reason);
    }

    [Fact]
    public void PixelSideAndByteLimitsAreConfigurable()
    {
        var path = _fixtures.WriteBytes("a.png", IngestionFixtures.PngBytes(30, 10));

        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => new BoundedImageDecoder(new ImageDecodeOptions { MaxPixels = 299 }).Decode(path)).Failure);
        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => new BoundedImageDecoder(new ImageDecodeOptions { MaxSide = 29 }).Decode(path)).Failure);
        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => new BoundedImageDecoder(new ImageDecodeOptions { MaxFileBytes = 10 }).Decode(path)).Failure);
        using var ok = new BoundedImageDecoder(new ImageDecodeOptions { MaxPixels = 300, MaxSide = 30 }).Decode(path);
        Assert.Equal(30, ok.Image.Width);
    }

    [Fact]
    public void BrokenFilesFailWithThePathAndTheReason()
    {
        var png = IngestionFixtures.PngBytes(64, 64);
        var jpeg = IngestionFixtures.JpegBytes(64, 64);
        var bigJpeg = IngestionFixtures.JpegBytes(512, 512);
        var cases = new (string Name, byte[] Bytes, MediaDecodeFailure Expected)[]
        {
            ("empty.png", [], MediaDecodeFailure.EmptyFile),
            ("text.png", "this is not an image"u8.ToArray(), MediaDecodeFailure.UnsupportedFormat),
            ("cut.png", png[..(png.Length / 2)], MediaDecodeFailure.Truncated),
            ("cut-header.jpg", jpeg[..(jpeg.Length / 4)], MediaDecodeFailure.Truncated),
            ("cut-scan.jpg", bigJpeg[..(bigJpeg.Length * 3 / 4)], MediaDecodeFailure.Truncated),
        };

        foreach (var (name, bytes, expected) in cases)
        {
            var path = _fixtures.WriteBytes(name, bytes);
            var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));
            Assert.True(expected == error.Failure, $"{name}: expected {expected}, got {error.Message}");
            Assert.Equal(path, error.SourcePath);
            Assert.StartsWith(path, error.Message);
        }

        Assert.Equal(MediaDecodeFailure.NotFound, Assert.Throws<MediaDecodeException>(() => _decoder.Decode(_fixtures.PathOf("none.png"))).Failure);
    }
}
