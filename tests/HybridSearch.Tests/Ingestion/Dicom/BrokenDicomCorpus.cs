using System.Buffers.Binary;
using HybridSearch.Ingestion.Dicom;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>Broken DICOM files, each with what it breaks and the failure category it must give.</summary>
internal static class BrokenDicomCorpus
{
    public static readonly DicomTag ContentSequence = new(0x0040, 0xA730);

    /// <summary>(file name, bytes, expected failure, expected words in the reason).</summary>
    public static IEnumerable<(string Name, byte[] Bytes, string Failure, string Reason)> Files()
    {
        var good = Good("9.9.1").ToBytes();
        yield return ("truncated-header.dcm", good[..150], "Truncated", "");
        yield return ("lying-length.dcm", Good("9.9.2", pixels: false).Raw(Header(DicomTags.StudyDescription, "UT", 5000)).Raw(new byte[10]).ToBytes(), "Truncated", "declares 5000 bytes");
        yield return ("length-2pow31.dcm", Good("9.9.3", pixels: false).Raw(Header(DicomTags.PixelData, "OB", 0x80000000)).Raw(new byte[64]).ToBytes(), "Truncated", "declares 2147483648 bytes");
        yield return ("nested-1000.dcm", Good("9.9.4", pixels: false).Raw(Nested(1000)).ToBytes(), "Corrupt", "nested deeper than the limit");
        yield return ("item-without-delimiter.dcm", Good("9.9.5", pixels: false).Raw(Header(ContentSequence, "SQ", 0xFFFFFFFF)).Raw(Item(0xFFFFFFFF))
            .Text(DicomTags.StudyDescription, "LO", "inside an item that never ends").ToBytes(), "Truncated", "no item delimiter");
        yield return ("short-pixels.dcm", Good("9.9.6", pixels: false).Element(DicomTags.PixelData, "OW", new byte[100]).ToBytes(), "Truncated", "the pixel data has 100 bytes");
        yield return ("jpeg2000.dcm", Good("9.9.7", pixels: false, syntax: "1.2.840.10008.1.2.4.90").Raw(Encapsulated([0xFF, 0x4F, 0xFF, 0x51])).ToBytes(),
            "UnsupportedFormat", "unsupported transfer syntax 1.2.840.10008.1.2.4.90 (JPEG 2000 Image Compression (Lossless Only))");
        yield return ("not-dicom.dcm", "just some text, not DICOM at all\n"u8.ToArray(), "UnsupportedFormat", "");
    }

    /// <summary>A valid 32×24 16-bit CT image header (and pixels), with its own study.</summary>
    public static DicomTestWriter Good(string studyUid, bool pixels = true, string syntax = "1.2.840.10008.1.2.1")
    {
        var writer = DicomTestWriter.Image(32, 24, (x, y) => (ushort)(x * 50 + y), studyUid: studyUid, seriesUid: studyUid + ".1", sopUid: studyUid + ".1.1");
        if (pixels)
        {
            return writer;
        }

        // Rebuild without the pixel data element so a test can append its own.
        var bare = new DicomTestWriter { TransferSyntax = syntax };
        foreach (var (tag, vr, value) in new (DicomTag, string, string)[]
        {
            (DicomTags.SopInstanceUid, "UI", studyUid + ".1.1"), (DicomTags.Modality, "CS", "CT"), (DicomTags.StudyInstanceUid, "UI", studyUid),
            (DicomTags.SeriesInstanceUid, "UI", studyUid + ".1"), (DicomTags.PhotometricInterpretation, "CS", "MONOCHROME2"),
        })
        {
            bare.Text(tag, vr, value);
        }

        return bare.UInt16(DicomTags.SamplesPerPixel, 1).UInt16(DicomTags.Rows, 24).UInt16(DicomTags.Columns, 32)
            .UInt16(DicomTags.BitsAllocated, 16).UInt16(DicomTags.BitsStored, 16).UInt16(DicomTags.PixelRepresentation, 0);
    }

    public static byte[] Header(DicomTag tag, string vr, uint length)
    {
        using var stream = new MemoryStream();
        DicomTestWriter.WriteHeader(stream, tag, vr, length);
        return stream.ToArray();
    }

    public static byte[] Item(uint length) => Header(DicomTags.Item, "", length);

    /// <summary>Sequences nested <paramref name="depth"/> deep, each with one undefined-length item, all closed.</summary>
    public static byte[] Nested(int depth)
    {
        using var stream = new MemoryStream();
        for (var i = 0; i < depth; i++)
        {
            stream.Write(Header(ContentSequence, "SQ", 0xFFFFFFFF));
            stream.Write(Item(0xFFFFFFFF));
        }

        for (var i = 0; i < depth; i++)
        {
            stream.Write(Header(DicomTags.ItemDelimitationItem, "", 0));
            stream.Write(Header(DicomTags.SequenceDelimitationItem, "", 0));
        }

        return stream.ToArray();
    }

    /// <summary>Encapsulated pixel data: an empty offset table, one fragment, the delimiter.</summary>
    public static byte[] Encapsulated(byte[] fragment)
    {
        using var stream = new MemoryStream();
        stream.Write(Header(DicomTags.PixelData, "OB", 0xFFFFFFFF));
        stream.Write(Item(0));
        stream.Write(Item((uint)fragment.Length));
        stream.Write(fragment);
        stream.Write(Header(DicomTags.SequenceDelimitationItem, "", 0));
        return stream.ToArray();
    }

    public static uint ReadUInt32(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
}
