using System.Buffers.Binary;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// The DICOM reader of this library (see <see cref="IDicomReader"/> for what it covers and why it is this small).
/// Bounded: the file size, every element length, the sequence depth, the inflated size and the frame size are
/// checked before anything is allocated from them; every problem is a <see cref="DicomFormatException"/> naming the
/// file and the reason. Thread-safe.
/// </summary>
public sealed class DicomReader : IDicomReader
{
    private const int HeaderPrefixBytes = 16 << 10;

    /// <summary>Creates a reader.</summary>
    /// <param name="options">Limits; <see cref="DicomReadOptions.Default"/> when null.</param>
    public DicomReader(DicomReadOptions? options = null)
    {
        Options = options ?? DicomReadOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxSequenceDepth, nameof(options));
    }

    /// <summary>The limits in force.</summary>
    public DicomReadOptions Options { get; }

    /// <summary>True when the bytes look like DICOM: <c>DICM</c> after a 128-byte preamble, or (for a name ending
    /// in .dcm or .dicom) a plausible first data element.</summary>
    /// <param name="start">The first bytes of the file (132 or more for the preamble test).</param>
    /// <param name="name">The file name, whose extension admits files without a preamble.</param>
    public static bool LooksLikeDicom(ReadOnlySpan<byte> start, string? name = null)
    {
        if (start.Length >= 132 && start.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return true;
        }

        var extension = name is null ? string.Empty : System.IO.Path.GetExtension(name);
        if (!extension.Equals(".dcm", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".dicom", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (start.Length < 8)
        {
            return start.Length > 0;
        }

        var groupLittle = BinaryPrimitives.ReadUInt16LittleEndian(start);
        var groupBig = BinaryPrimitives.ReadUInt16BigEndian(start);
        return groupLittle is >= 0x0002 and <= 0x0028 || groupBig is >= 0x0002 and <= 0x0028;
    }

    /// <summary>True when the file starts with the Part 10 preamble and <c>DICM</c> (used to find extension-less
    /// DICOM files in a folder), or has a .dcm/.dicom extension and a plausible first element.</summary>
    /// <param name="path">The file.</param>
    public static bool IsDicomFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (FileKinds.Of(path) != FileKind.RegularFile)
        {
            return false; // never open a FIFO or a device to sniff it
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            Span<byte> start = stackalloc byte[132];
            var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return LooksLikeDicom(start[..read], path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public DicomFile Read(ReadOnlyMemory<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (data.Length == 0)
        {
            throw new DicomFormatException(sourceName, MediaDecodeFailure.EmptyFile, "the file has zero bytes");
        }

        if (data.Length > Options.Image.MaxFileBytes)
        {
            throw new DicomFormatException(sourceName, MediaDecodeFailure.TooLarge, $"{data.Length} bytes, over the limit of {Options.Image.MaxFileBytes}");
        }

        return DicomParser.Parse(data, sourceName, Options, isPrefix: false, stopAtPixelData: false);
    }

    /// <summary>Reads a whole file (bounded by <see cref="ImageDecodeOptions.MaxFileBytes"/>) and parses it.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DicomFormatException">Missing, unreadable, too large, or not valid DICOM.</exception>
    public DicomFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Read(ReadBytes(path, Options.Image.MaxFileBytes, whole: true), path);
    }

    /// <inheritdoc />
    public DicomFile ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DicomFormatException(path, MediaDecodeFailure.NotFound, $"cannot read: {exception.Message}", exception);
        }

        // Headers are small: read a prefix, and a bigger one only when the header runs past it.
        var prefix = (long)HeaderPrefixBytes;
        while (true)
        {
            var take = Math.Min(prefix, Math.Min(length, Options.Image.MaxFileBytes));
            var bytes = ReadBytes(path, take, whole: false);
            var isPrefix = bytes.Length < length && bytes.Length < Options.Image.MaxFileBytes;
            try
            {
                return DicomParser.Parse(bytes, path, Options, isPrefix, stopAtPixelData: true);
            }
            catch (DicomParser.NeedMoreDataException)
            {
                prefix *= 4;
            }
        }
    }

    /// <inheritdoc />
    public DicomFrame DecodeFrame(DicomFile file, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(file);
        var source = file.SourceName;
        if (!file.PixelDataRead)
        {
            throw new InvalidOperationException($"{source}: only the header was read; read the whole file to decode frames.");
        }

        var syntax = file.TransferSyntax;
        if (syntax.PixelEncoding == DicomPixelEncoding.Unsupported)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, $"unsupported transfer syntax {syntax.Uid} ({syntax.Name})");
        }

        var layout = DicomPixelLayout.From(file.Dataset, source, Options.Image, Options.MaxFrames);
        if (frameIndex < 0 || frameIndex >= layout.Frames)
        {
            throw new ArgumentOutOfRangeException(nameof(frameIndex), frameIndex, $"{source} has {layout.Frames} frame(s).");
        }

        var pixelData = file.Dataset.Find(DicomTags.PixelData)
            ?? throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, "the data set has no pixel data (not an image)");
        return syntax.PixelEncoding switch
        {
            DicomPixelEncoding.Native => DecodeNative(pixelData, layout, frameIndex, source),
            DicomPixelEncoding.Rle => DecodeRle(EncapsulatedFrame(pixelData, layout, frameIndex, source), layout, source),
            DicomPixelEncoding.JpegBaseline => DecodeJpegBaseline(EncapsulatedFrame(pixelData, layout, frameIndex, source), layout, source),
            _ => DecodeJpegLossless(EncapsulatedFrame(pixelData, layout, frameIndex, source), layout, source),
        };
    }

    private static DicomFrame DecodeNative(DicomElement pixelData, DicomPixelLayout layout, int frameIndex, string source)
    {
        if (pixelData.Fragments is not null)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, "the pixel data is encapsulated but the transfer syntax is uncompressed");
        }

        if (layout.BitsAllocated == 1)
        {
            return DecodeBitPacked(pixelData.Value.Span, layout, frameIndex, source);
        }

        var subsampled = layout.Photometric == "YBR_FULL_422" && layout.SamplesPerPixel == 3;
        if (subsampled && (layout.BitsAllocated != 8 || layout.Width % 2 != 0))
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, "uncompressed YBR_FULL_422 needs 8-bit samples and an even width");
        }

        var bytesPerSample = layout.BitsAllocated / 8;
        var pixels = (long)layout.Width * layout.Height;
        var frameBytes = subsampled ? pixels * 2 : pixels * layout.SamplesPerPixel * bytesPerSample;
        var needed = frameBytes * layout.Frames;
        var value = pixelData.Value.Span;
        if (value.Length < needed)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Truncated,
                $"the pixel data has {value.Length} bytes; {layout.Frames} frame(s) of {layout.Width}x{layout.Height}x{layout.SamplesPerPixel} samples of {layout.BitsAllocated} bits need {needed}");
        }

        var frame = value.Slice((int)(frameBytes * frameIndex), (int)frameBytes);
        var samples = new ushort[pixels * layout.SamplesPerPixel];
        if (subsampled)
        {
            // Y1 Y2 Cb Cr for each pair of pixels, expanded to full resolution.
            for (long pair = 0, o = 0; pair < pixels / 2; pair++, o += 6)
            {
                var i = (int)(pair * 4);
                samples[o] = frame[i];
                samples[o + 1] = frame[i + 2];
                samples[o + 2] = frame[i + 3];
                samples[o + 3] = frame[i + 1];
                samples[o + 4] = frame[i + 2];
                samples[o + 5] = frame[i + 3];
            }

            return layout.ToFrame(samples, "YBR_FULL");
        }

        var count = samples.Length;
        var planar = layout.SamplesPerPixel > 1 && layout.PlanarConfiguration == 1;
        for (var i = 0; i < count; i++)
        {
            var sourceIndex = planar ? (i % layout.SamplesPerPixel) * (int)pixels + (i / layout.SamplesPerPixel) : i;
            samples[i] = bytesPerSample == 1 ? frame[sourceIndex]
                : pixelData.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(frame[(2 * sourceIndex)..])
                : BinaryPrimitives.ReadUInt16LittleEndian(frame[(2 * sourceIndex)..]);
        }

        return layout.ToFrame(samples, layout.Photometric);
    }

    /// <summary>1-bit pixels (segmentations, overlays-as-images) are packed least significant bit first, frames
    /// following one another without padding.</summary>
    private static DicomFrame DecodeBitPacked(ReadOnlySpan<byte> value, DicomPixelLayout layout, int frameIndex, string source)
    {
        var pixels = (long)layout.Width * layout.Height;
        var neededBytes = (pixels * layout.Frames + 7) / 8;
        if (value.Length < neededBytes)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Truncated,
                $"the pixel data has {value.Length} bytes; {layout.Frames} frame(s) of {layout.Width}x{layout.Height} 1-bit pixels need {neededBytes}");
        }

        var samples = new ushort[pixels];
        var firstBit = pixels * frameIndex;
        for (long i = 0; i < pixels; i++)
        {
            var bit = firstBit + i;
            samples[i] = (ushort)((value[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
        }

        return layout.ToFrame(samples, layout.Photometric);
    }

    private static DicomFrame DecodeRle(ReadOnlySpan<byte> frame, DicomPixelLayout layout, string source) =>
        layout.ToFrame(RleFrameDecoder.Decode(frame, layout.Width, layout.Height, layout.SamplesPerPixel, layout.BitsAllocated, source),
            layout.Photometric == "YBR_FULL_422" ? "YBR_FULL" : layout.Photometric);

    private DicomFrame DecodeJpegBaseline(byte[] frame, DicomPixelLayout layout, string source)
    {
        var (width, height, components, precision) = JpegLosslessDecoder.ReadFrameHeader(frame, source);
        CheckJpegHeader(layout, source, width, height, components);
        if (precision != 8)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, $"{precision}-bit JPEG Extended is not supported (8-bit only)");
        }

        // Our own decoder, not ImageSharp's: it reproduces libjpeg's IDCT, chroma upsampling and colour conversion,
        // which pydicom and dcmtk give (ImageSharp's upsampling differs by up to ~75 levels at colour edges).
        var samples = JpegBaselineDecoder.Decode(frame, source, layout.Photometric, Options.Image.MaxPixels, out var photometric);
        return new DicomFrame(width, height, components, 8, false, photometric, samples);
    }

    private static DicomFrame DecodeJpegLossless(byte[] frame, DicomPixelLayout layout, string source)
    {
        var (width, height, components, _) = JpegLosslessDecoder.ReadFrameHeader(frame, source);
        CheckJpegHeader(layout, source, width, height, components);
        var samples = JpegLosslessDecoder.Decode(frame, source, out _, out _, out _, out _);
        return layout.ToFrame(samples, layout.Photometric);
    }

    private static void CheckJpegHeader(DicomPixelLayout layout, string source, int width, int height, int components)
    {
        if (width != layout.Width || height != layout.Height || components != layout.SamplesPerPixel)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Corrupt,
                $"the JPEG frame is {width}x{height}x{components} but the data set says {layout.Width}x{layout.Height}x{layout.SamplesPerPixel}");
        }
    }

    /// <summary>The bytes of one frame of encapsulated pixel data: all fragments for a single frame, one fragment per
    /// frame when the counts agree, else the basic offset table, else (JPEG) fragments starting with SOI.</summary>
    private static byte[] EncapsulatedFrame(DicomElement pixelData, DicomPixelLayout layout, int frameIndex, string source)
    {
        var fragments = pixelData.Fragments
            ?? throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, "the transfer syntax is compressed but the pixel data is not encapsulated");
        if (fragments.Count == 0)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Truncated, "the encapsulated pixel data has no fragments");
        }

        IEnumerable<ReadOnlyMemory<byte>> parts;
        if (layout.Frames == 1)
        {
            parts = fragments;
        }
        else if (fragments.Count == layout.Frames)
        {
            parts = [fragments[frameIndex]];
        }
        else if (pixelData.BasicOffsetTable.Length >= 4 * layout.Frames)
        {
            var table = pixelData.BasicOffsetTable.Span;
            var start = BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * frameIndex)..]);
            var stop = frameIndex + 1 < layout.Frames ? BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * (frameIndex + 1))..]) : uint.MaxValue;
            var selected = new List<ReadOnlyMemory<byte>>();
            long offset = 0;
            foreach (var fragment in fragments)
            {
                if (offset >= start && offset < stop)
                {
                    selected.Add(fragment);
                }

                offset += 8 + fragment.Length;
            }

            parts = selected;
        }
        else
        {
            var starts = Enumerable.Range(0, fragments.Count).Where(i => fragments[i].Span is [0xFF, 0xD8, ..]).ToList();
            if (starts.Count != layout.Frames)
            {
                throw new DicomFormatException(source, MediaDecodeFailure.Corrupt,
                    $"{fragments.Count} fragments without an offset table cannot be split into {layout.Frames} frames");
            }

            var end = frameIndex + 1 < starts.Count ? starts[frameIndex + 1] : fragments.Count;
            parts = fragments.Skip(starts[frameIndex]).Take(end - starts[frameIndex]);
        }

        var list = parts.ToList();
        if (list.Count == 0)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Truncated, $"frame {frameIndex} has no fragments");
        }

        var total = list.Sum(part => (long)part.Length);
        var buffer = new byte[total];
        var at = 0;
        foreach (var part in list)
        {
            part.Span.CopyTo(buffer.AsSpan(at));
            at += part.Length;
        }

        return buffer;
    }

    private static byte[] ReadBytes(string path, long count, bool whole)
    {
        try
        {
            // Only regular files, checked before opening (a FIFO blocks on open, a device never ends), and never more
            // than the limit counted in bytes read: the size the file system reports is only a hint (0 for /dev/zero).
            BoundedFileReader.EnsureRegularFile(path);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var limit = whole ? count + 1 : count;
            using var buffer = new MemoryStream((int)Math.Min(Math.Min(Math.Max(stream.Length, 0), limit), 1 << 20));
            var chunk = new byte[81920];
            while (buffer.Length < limit)
            {
                var read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length));
                if (read == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, read);
            }

            if (whole && buffer.Length > count)
            {
                throw new DicomFormatException(path, MediaDecodeFailure.TooLarge, $"more than {count} bytes, over the limit");
            }

            return buffer.ToArray();
        }
        catch (BoundedFileException exception)
        {
            throw new DicomFormatException(path, exception.Failure, exception.Message, exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DicomFormatException(path, MediaDecodeFailure.NotFound, $"cannot read: {exception.Message}", exception);
        }
    }
}
