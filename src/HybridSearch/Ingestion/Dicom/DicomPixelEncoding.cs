namespace HybridSearch.Ingestion.Dicom;

/// <summary>How a transfer syntax stores the pixel data, which decides the frame decoder.</summary>
public enum DicomPixelEncoding
{
    /// <summary>Uncompressed (native) pixels.</summary>
    Native,

    /// <summary>RLE Lossless (PS3.5 annex G).</summary>
    Rle,

    /// <summary>JPEG Baseline (process 1) or Extended (processes 2 and 4), 8-bit, decoded by <c>JpegBaselineDecoder</c>
    /// as libjpeg decodes it.</summary>
    JpegBaseline,

    /// <summary>JPEG Lossless, non-hierarchical (process 14), any predictor, decoded by <c>JpegLosslessDecoder</c>.</summary>
    JpegLossless,

    /// <summary>A syntax whose pixels this reader does not decode (JPEG 2000, JPEG-LS, MPEG, ...).</summary>
    Unsupported,
}
