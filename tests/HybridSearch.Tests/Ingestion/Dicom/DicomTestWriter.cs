using System.Buffers.Binary;
using System.Text;
using HybridSearch.Ingestion.Dicom;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>Writes small explicit-VR little-endian Part 10 files (native pixels) for tests, and lets a test append raw
/// elements to make broken ones.</summary>
internal sealed class DicomTestWriter
{
    private readonly MemoryStream _body = new();

    /// <summary>Transfer syntax written into the meta header.</summary>
    public string TransferSyntax { get; init; } = "1.2.840.10008.1.2.1";

    public DicomTestWriter Text(DicomTag tag, string vr, string value, Encoding? encoding = null)
    {
        var bytes = (encoding ?? Encoding.ASCII).GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        }

        return Element(tag, vr, bytes);
    }

    public DicomTestWriter UInt16(DicomTag tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return Element(tag, "US", bytes);
    }

    public DicomTestWriter Element(DicomTag tag, string vr, byte[] value)
    {
        WriteHeader(_body, tag, vr, (uint)value.Length);
        _body.Write(value);
        return this;
    }

    /// <summary>Appends raw bytes (for malformed files).</summary>
    public DicomTestWriter Raw(byte[] bytes)
    {
        _body.Write(bytes);
        return this;
    }

    /// <summary>A grey image with the standard study tags.</summary>
    public static DicomTestWriter Image(int width, int height, Func<int, int, ushort> pixel, int bits = 16, bool signed = false, int frames = 1,
        string photometric = "MONOCHROME2", string modality = "CT", string studyUid = "1.2.3.4", string seriesUid = "1.2.3.4.1", string sopUid = "1.2.3.4.1.1")
    {
        var writer = new DicomTestWriter()
            .Text(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 192")
            .Text(DicomTags.SopClassUid, "UI", "1.2.840.10008.5.1.4.1.1.2")
            .Text(DicomTags.SopInstanceUid, "UI", sopUid)
            .Text(DicomTags.StudyDate, "DA", "20240131")
            .Text(DicomTags.Modality, "CS", modality)
            .Text(DicomTags.Manufacturer, "LO", "Acme Medical")
            .Text(DicomTags.StudyDescription, "LO", "Thorax")
            .Text(DicomTags.SeriesDescription, "LO", "Axial 5mm")
            .Text(DicomTags.PatientName, "PN", "Müller^Jörg", Encoding.UTF8)
            .Text(DicomTags.PatientId, "LO", "PID-0042")
            .Text(DicomTags.PatientBirthDate, "DA", "19500101")
            .Text(DicomTags.PatientSex, "CS", "M")
            .Text(DicomTags.PatientAge, "AS", "074Y")
            .Text(DicomTags.BodyPartExamined, "CS", "CHEST")
            .Text(DicomTags.SliceThickness, "DS", "5.0")
            .Text(DicomTags.StudyInstanceUid, "UI", studyUid)
            .Text(DicomTags.SeriesInstanceUid, "UI", seriesUid)
            .UInt16(DicomTags.SamplesPerPixel, 1)
            .Text(DicomTags.PhotometricInterpretation, "CS", photometric);
        if (frames > 1)
        {
            writer.Text(DicomTags.NumberOfFrames, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        writer.UInt16(DicomTags.Rows, (ushort)height).UInt16(DicomTags.Columns, (ushort)width)
            .UInt16(DicomTags.BitsAllocated, (ushort)bits).UInt16(DicomTags.BitsStored, (ushort)bits).UInt16(DicomTags.HighBit, (ushort)(bits - 1))
            .UInt16(DicomTags.PixelRepresentation, (ushort)(signed ? 1 : 0));
        var bytesPerSample = bits / 8;
        var pixels = new byte[width * height * bytesPerSample * frames];
        for (var f = 0; f < frames; f++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var value = (ushort)(pixel(x, y) + f);
                    var offset = ((f * height + y) * width + x) * bytesPerSample;
                    if (bytesPerSample == 1)
                    {
                        pixels[offset] = (byte)value;
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(offset), value);
                    }
                }
            }
        }

        return writer.Element(DicomTags.PixelData, bits == 8 ? "OB" : "OW", pixels);
    }

    public byte[] ToBytes()
    {
        var meta = new MemoryStream();
        var metaBody = new MemoryStream();
        WriteText(metaBody, DicomTags.MediaStorageSopClassUid, "UI", "1.2.840.10008.5.1.4.1.1.2");
        WriteText(metaBody, DicomTags.MediaStorageSopInstanceUid, "UI", "1.2.3.4.1.1");
        WriteText(metaBody, DicomTags.TransferSyntaxUid, "UI", TransferSyntax);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)metaBody.Length);
        meta.Write(new byte[128]);
        meta.Write("DICM"u8);
        WriteHeader(meta, DicomTags.FileMetaInformationGroupLength, "UL", 4);
        meta.Write(groupLength);
        metaBody.WriteTo(meta);
        _body.WriteTo(meta);
        return meta.ToArray();
    }

    public string WriteTo(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    private static void WriteText(Stream stream, DicomTag tag, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 1 ? value + "\0" : value);
        WriteHeader(stream, tag, vr, (uint)bytes.Length);
        stream.Write(bytes);
    }

    /// <summary>An explicit VR little endian element header.</summary>
    public static void WriteHeader(Stream stream, DicomTag tag, string vr, uint length)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        if (tag.Group == 0xFFFE)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
            stream.Write(header[..8]);
            return;
        }

        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (vr is "OB" or "OW" or "SQ" or "UN" or "UT" or "UC" or "UR" or "OD" or "OF" or "OL" or "OV" or "SV" or "UV")
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            stream.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
            stream.Write(header[..8]);
        }
    }
}
