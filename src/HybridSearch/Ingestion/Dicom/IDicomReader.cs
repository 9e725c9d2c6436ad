namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// Reads DICOM files and decodes their frames. The implementation here, <see cref="DicomReader"/>, is the smallest
/// reader that covers what hospitals' archives mostly hold (Part 10 with or without preamble and meta header;
/// implicit/explicit VR little endian, explicit VR big endian, deflated; native, RLE Lossless, JPEG Baseline/Extended
/// 8-bit and JPEG Lossless process 14 pixels). It could be swapped for fo-dicom, the ecosystem's standard library,
/// behind this interface when that package is available; everything above it (rendering, metadata, ingestion)
/// sees only these types.
/// </summary>
public interface IDicomReader
{
    /// <summary>Parses a whole file held in memory, pixel data included.</summary>
    /// <param name="data">The file's bytes; the returned values are slices of it.</param>
    /// <param name="sourceName">Name used in errors.</param>
    /// <exception cref="DicomFormatException">Not DICOM, malformed, truncated or over a limit.</exception>
    DicomFile Read(ReadOnlyMemory<byte> data, string sourceName);

    /// <summary>Reads a file's data set up to (not including) the pixel data, reading only as much of the file as
    /// that needs.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DicomFormatException">Missing, not DICOM, malformed or truncated.</exception>
    DicomFile ReadHeader(string path);

    /// <summary>Decodes one frame's stored values.</summary>
    /// <param name="file">A file read with <see cref="Read"/>.</param>
    /// <param name="frameIndex">0-based frame.</param>
    /// <exception cref="DicomFormatException">Unsupported transfer syntax or pixel layout, over the frame limits,
    /// or pixel data shorter than the frame needs.</exception>
    DicomFrame DecodeFrame(DicomFile file, int frameIndex);
}
