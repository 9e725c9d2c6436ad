namespace HybridSearch.Ingestion.Dicom;

/// <summary>A transfer syntax: how the data set is encoded (VR explicit or implicit, byte order, deflate) and how
/// the pixels are stored.</summary>
public sealed class DicomTransferSyntax
{
    private static readonly Dictionary<string, DicomTransferSyntax> Known = new DicomTransferSyntax[]
    {
        new("1.2.840.10008.1.2", "Implicit VR Little Endian", explicitVr: false, bigEndian: false, deflated: false, DicomPixelEncoding.Native),
        new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Native),
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", explicitVr: true, bigEndian: false, deflated: true, DicomPixelEncoding.Native),
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", explicitVr: true, bigEndian: true, deflated: false, DicomPixelEncoding.Native),
        new("1.2.840.10008.1.2.5", "RLE Lossless", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Rle),
        new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.JpegBaseline),
        new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.JpegBaseline),
        new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.JpegLossless),
        new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.JpegLossless),
        new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported),
    }.ToDictionary(syntax => syntax.Uid, StringComparer.Ordinal);

    private DicomTransferSyntax(string uid, string name, bool explicitVr, bool bigEndian, bool deflated, DicomPixelEncoding pixelEncoding)
    {
        Uid = uid;
        Name = name;
        IsExplicitVr = explicitVr;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        PixelEncoding = pixelEncoding;
    }

    /// <summary>Implicit VR Little Endian, the default of files without a meta header.</summary>
    public static DicomTransferSyntax ImplicitVrLittleEndian => Known["1.2.840.10008.1.2"];

    /// <summary>Explicit VR Little Endian.</summary>
    public static DicomTransferSyntax ExplicitVrLittleEndian => Known["1.2.840.10008.1.2.1"];

    /// <summary>Explicit VR Big Endian (retired, still found in archives).</summary>
    public static DicomTransferSyntax ExplicitVrBigEndian => Known["1.2.840.10008.1.2.2"];

    /// <summary>The UID, e.g. <c>1.2.840.10008.1.2.4.70</c>.</summary>
    public string Uid { get; }

    /// <summary>The name PS3.6 gives the UID.</summary>
    public string Name { get; }

    /// <summary>True when every element carries its VR.</summary>
    public bool IsExplicitVr { get; }

    /// <summary>True when binary values are big endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>True when the data set after the meta header is deflated (RFC 1951).</summary>
    public bool IsDeflated { get; }

    /// <summary>How the pixels are stored.</summary>
    public DicomPixelEncoding PixelEncoding { get; }

    /// <summary>True when the pixel data is encapsulated (a sequence of fragments).</summary>
    public bool IsEncapsulated => PixelEncoding != DicomPixelEncoding.Native;

    /// <summary>Looks a UID up; an unknown UID gives an encapsulated explicit-VR syntax marked unsupported, so the
    /// data set can still be read for its tags.</summary>
    /// <param name="uid">The UID as stored (trailing NUL and spaces are ignored).</param>
    public static DicomTransferSyntax Parse(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.TrimEnd('\0', ' ');
        return Known.TryGetValue(trimmed, out var syntax)
            ? syntax
            : new DicomTransferSyntax(trimmed, "unknown transfer syntax", explicitVr: true, bigEndian: false, deflated: false, DicomPixelEncoding.Unsupported);
    }

    /// <summary>The UID and its name.</summary>
    public override string ToString() => $"{Uid} ({Name})";
}
