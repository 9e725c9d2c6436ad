using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// Decodes a DICOM file to the <see cref="DecodedImage"/> the embedders take: read (<see cref="IDicomReader"/>),
/// decode one frame, render it to 8 bits (<see cref="DicomFrameRenderer"/>). Errors become
/// <see cref="MediaDecodeException"/> like any other image's, so a pipeline reports the file and goes on.
/// Thread-safe.
/// </summary>
public sealed class DicomImageDecoder
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ImageDecodeOptions, DicomImageDecoder> Shared = new();
    private readonly IDicomReader _reader;

    /// <summary>A decoder with these limits, shared across files (one per distinct set of limits).</summary>
    /// <param name="limits">The image limits.</param>
    public static DicomImageDecoder For(ImageDecodeOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Shared.GetOrAdd(limits, options => new DicomImageDecoder(new DicomReader(new DicomReadOptions { Image = options })));
    }

    /// <summary>Creates a decoder.</summary>
    /// <param name="reader">The reader; a <see cref="DicomReader"/> with default limits when null.</param>
    public DicomImageDecoder(IDicomReader? reader = null)
    {
        _reader = reader ?? new DicomReader();
    }

    /// <summary>Decodes one frame of a DICOM file held in memory.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="sourceName">Name used in errors and as <see cref="DecodedImage.Path"/>.</param>
    /// <param name="frameNumber">1-based frame (the last when the file has fewer); null for the middle frame.</param>
    /// <exception cref="MediaDecodeException">Not DICOM, malformed, unsupported, truncated or over a limit.</exception>
    public DecodedImage Decode(ReadOnlyMemory<byte> data, string sourceName, int? frameNumber = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            var file = _reader.Read(data, sourceName);
            var index = (frameNumber is { } n ? DicomFrameSelection.Number(n) : DicomFrameSelection.Middle).Indices(file.FrameCount)[0];
            var rendered = Render(file, index);
            var image = rendered.ToRgbImage();
            return new DecodedImage(sourceName, image, $"DICOM {file.TransferSyntax.Name}", image.Width, image.Height, 1);
        }
        catch (DicomFormatException exception)
        {
            throw new MediaDecodeException(sourceName, exception.Failure, exception.Reason, exception);
        }
    }

    /// <summary>Reads (bounded by <see cref="ImageDecodeOptions.MaxFileBytes"/>) and decodes one frame of a DICOM file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxFileBytes">Largest file read.</param>
    /// <param name="frameNumber">1-based frame; null for the middle frame.</param>
    /// <exception cref="MediaDecodeException">Missing, not DICOM, malformed, unsupported, truncated or over a limit.</exception>
    public DecodedImage Decode(string path, long maxFileBytes, int? frameNumber = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            bytes = BoundedFileReader.ReadAllBytesAsync(path, maxFileBytes, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (BoundedFileException exception)
        {
            throw new MediaDecodeException(path, exception.Failure, exception.Message, exception);
        }

        return Decode(bytes, path, frameNumber);
    }

    /// <summary>Decodes and renders frame <paramref name="frameIndex"/> (0-based) of a file read with the reader.</summary>
    /// <param name="file">The file.</param>
    /// <param name="frameIndex">0-based frame.</param>
    /// <exception cref="DicomFormatException">Unsupported, truncated or malformed pixel data.</exception>
    public DicomRenderedFrame Render(DicomFile file, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(file);
        var frame = _reader.DecodeFrame(file, frameIndex);
        return DicomFrameRenderer.Render(file.Dataset, frame, file.SourceName);
    }
}
