using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Decodes image files to upright <see cref="Image{Rgb24}"/> with ImageSharp, refusing decompression bombs: the
/// file size is checked first, then the header is read with <see cref="Image.Identify(Configuration, Stream)"/> and
/// width, height and pixel count are checked, and only then are pixels decoded, through a memory allocator whose
/// single-allocation limit follows <see cref="ImageDecodeOptions.MaxPixels"/>. The format is detected from the
/// content, so a PNG named .jpg decodes and a text file named .png is <see cref="MediaDecodeFailure.UnsupportedFormat"/>.
/// Thread-safe.
/// </summary>
public sealed class BoundedImageDecoder
{
    private readonly Configuration _configuration;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">Limits; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    public BoundedImageDecoder(ImageDecodeOptions? options = null)
    {
        Options = options ?? ImageDecodeOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxPixels, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxSide, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxFileBytes, nameof(options));

        _configuration = Configuration.Default.Clone();

        // 16 bytes per pixel covers the widest intermediate buffers (e.g. Rgba64 or Vector4 rows); anything larger
        // than that for an image within the pixel limit is a malformed file trying to make us allocate.
        var limitMegabytes = (int)Math.Min(int.MaxValue, Math.Max(64, (Options.MaxPixels * 16) >> 20));
        _configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = limitMegabytes });

        // Only the first frame is used, so animated GIFs and multi-page TIFFs do not multiply the memory.
        _configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        _configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
    }

    /// <summary>The limits in force.</summary>
    public ImageDecodeOptions Options { get; }

    /// <summary>Reads and decodes an image file.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="MediaDecodeException">Missing, empty, too large, unsupported, truncated or corrupt.</exception>
    public async Task<DecodedImage> DecodeAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = await ReadBoundedAsync(path, cancellationToken).ConfigureAwait(false);
        return Decode(bytes, path);
    }

    /// <summary>Reads and decodes an image file synchronously.</summary>
    /// <param name="path">The image file.</param>
    /// <exception cref="MediaDecodeException">Missing, empty, too large, unsupported, truncated or corrupt.</exception>
    public DecodedImage Decode(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Decode(ReadBoundedAsync(path, CancellationToken.None).GetAwaiter().GetResult(), path);
    }

    /// <summary>Decodes an image held in memory.</summary>
    /// <param name="data">The encoded bytes.</param>
    /// <param name="sourceName">Name used in errors and in <see cref="DecodedImage.Path"/>.</param>
    /// <exception cref="MediaDecodeException">Empty, too large, unsupported, truncated or corrupt.</exception>
    public DecodedImage Decode(ReadOnlyMemory<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (data.Length == 0)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.EmptyFile, "the file has zero bytes");
        }

        if (data.Length > Options.MaxFileBytes)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.TooLarge, $"{data.Length} bytes, over the limit of {Options.MaxFileBytes}");
        }

        if (Dicom.DicomReader.LooksLikeDicom(data.Span, sourceName))
        {
            // DICOM (query images, manifest paths): the middle frame, rendered to 8 bits, within the same limits.
            return Dicom.DicomImageDecoder.For(Options).Decode(data, sourceName);
        }

        var format = Identify(data, sourceName);
        if (Options.RejectTruncated)
        {
            CheckComplete(data.Span, format, sourceName);
        }

        Image<Rgb24> image;
        try
        {
            image = Image.Load<Rgb24>(_configuration, data.Span);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw Classify(exception, sourceName, "decoding failed");
        }

        try
        {
            var storedWidth = image.Width;
            var storedHeight = image.Height;
            var orientation = image.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? 1;
            if (orientation is > 1 and <= 8)
            {
                image.Mutate(context => context.AutoOrient());
            }
            else
            {
                orientation = 1;
            }

            return new DecodedImage(sourceName, image, format.Name, storedWidth, storedHeight, orientation);
        }
        catch (Exception exception)
        {
            image.Dispose();
            if (IsDecoderFailure(exception))
            {
                throw Classify(exception, sourceName, "orienting the image failed");
            }

            throw;
        }
    }

    /// <summary>True for an exception ImageSharp threw on bad input (any type: a hostile file can reach code paths
    /// that throw DivideByZeroException, OverflowException or NullReferenceException), as opposed to one of ours,
    /// a cancellation, or the process running out of memory (bounded by the pixel and allocation limits instead).</summary>
    private static bool IsDecoderFailure(Exception exception) =>
        exception is not (MediaDecodeException or OperationCanceledException or OutOfMemoryException or InsufficientExecutionStackException);

    private IImageFormat Identify(ReadOnlyMemory<byte> data, string sourceName)
    {
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            info = Image.Identify(_configuration, stream, out format);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw Classify(exception, sourceName, "the header cannot be read");
        }

        if (info is null || format is null)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.UnsupportedFormat,
                $"the content is not a supported image format (extension '{Path.GetExtension(sourceName)}')");
        }

        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.Corrupt, $"the header declares {info.Width}x{info.Height} pixels");
        }

        if (info.Width > Options.MaxSide || info.Height > Options.MaxSide)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.TooLarge,
                $"{format.Name} header declares {info.Width}x{info.Height} pixels, over the limit of {Options.MaxSide} per side");
        }

        if ((long)info.Width * info.Height > Options.MaxPixels)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.TooLarge,
                $"{format.Name} header declares {info.Width}x{info.Height} = {(long)info.Width * info.Height} pixels, over the limit of {Options.MaxPixels}");
        }

        return format;
    }

    /// <summary>ImageSharp fills missing JPEG scan data with grey and tolerates some PNG damage; a search index
    /// should not hold half-grey images, so the end markers are checked.</summary>
    private static void CheckComplete(ReadOnlySpan<byte> data, IImageFormat format, string sourceName)
    {
        if (format == JpegFormat.Instance)
        {
            // The main image's scan is the last SOS (an EXIF thumbnail's comes earlier); an EOI must follow it.
            var lastScan = data.LastIndexOf([(byte)0xFF, (byte)0xDA]);
            var lastEnd = data.LastIndexOf([(byte)0xFF, (byte)0xD9]);
            if (lastScan < 0 || lastEnd < lastScan)
            {
                throw new MediaDecodeException(sourceName, MediaDecodeFailure.Truncated, "JPEG has no end-of-image marker after its last scan");
            }
        }
        else if (format == PngFormat.Instance)
        {
            if (data.LastIndexOf("IEND"u8) < 0)
            {
                throw new MediaDecodeException(sourceName, MediaDecodeFailure.Truncated, "PNG has no IEND chunk");
            }

            CheckPngDataCanFillHeader(data, sourceName);
        }
    }

    /// <summary>
    /// A PNG whose header declares more pixels than its IDAT chunks can hold is decoded by ImageSharp as an image
    /// filled with black; deflate expands at most about 1032:1, so comparing the compressed IDAT bytes with the pixel
    /// bytes the header declares catches such a lying header without inflating anything.
    /// </summary>
    private static void CheckPngDataCanFillHeader(ReadOnlySpan<byte> data, string sourceName)
    {
        const int MaxDeflateRatio = 1100;
        const int SignatureBytes = 8;
        if (data.Length < SignatureBytes + 8 + 13 || !data.Slice(SignatureBytes + 4, 4).SequenceEqual("IHDR"u8))
        {
            return;
        }

        var ihdr = data.Slice(SignatureBytes + 8, 13);
        long width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        long height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        int bitDepth = ihdr[8];
        var channels = ihdr[9] switch
        {
            0 or 3 => 1,
            4 => 2,
            2 => 3,
            6 => 4,
            _ => 0,
        };
        var pixelBytes = width * height * channels * bitDepth / 8;
        long compressed = 0;
        var position = SignatureBytes;
        while (position + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            if (data.Slice(position + 4, 4).SequenceEqual("IDAT"u8))
            {
                compressed += length;
            }

            var next = position + 12L + length;
            if (next > data.Length)
            {
                break;
            }

            position = (int)next;
        }

        if (compressed * MaxDeflateRatio < pixelBytes)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.Truncated,
                $"PNG header declares {width}x{height} pixels ({pixelBytes} bytes), but its IDAT chunks hold {compressed} compressed bytes, too few to inflate to that");
        }
    }

    private static MediaDecodeException Classify(Exception exception, string sourceName, string what)
    {
        var failure = exception switch
        {
            UnknownImageFormatException or NotSupportedException => MediaDecodeFailure.UnsupportedFormat,
            InvalidMemoryOperationException => MediaDecodeFailure.TooLarge,
            EndOfStreamException => MediaDecodeFailure.Truncated,

            // ImageSharp reports a file cut inside a header segment as invalid content with this wording.
            _ when exception.Message.Contains("not have enough bytes", StringComparison.OrdinalIgnoreCase)
                || exception.Message.Contains("end of stream", StringComparison.OrdinalIgnoreCase) => MediaDecodeFailure.Truncated,
            _ => MediaDecodeFailure.Corrupt,
        };
        return new MediaDecodeException(sourceName, failure, $"{what}: {exception.Message}", exception);
    }

    /// <summary>Reads the file through a stream bounded by <see cref="ImageDecodeOptions.MaxFileBytes"/>, after
    /// checking that it is a regular file: a FIFO would block the open, <c>/dev/zero</c> would never end, and neither
    /// has a truthful length.</summary>
    private async Task<byte[]> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await BoundedFileReader.ReadAllBytesAsync(path, Options.MaxFileBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (BoundedFileException exception)
        {
            throw new MediaDecodeException(path, exception.Failure, exception.Message, exception.InnerException);
        }
    }
}
