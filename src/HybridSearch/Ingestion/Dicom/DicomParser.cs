using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// Parses the bytes of a DICOM file into <see cref="DicomFile"/>. Every length read from the file is checked against
/// the bytes that remain before it is used (values are slices of the input, so a lying length allocates nothing);
/// sequences are parsed recursively up to <see cref="DicomReadOptions.MaxSequenceDepth"/>; an undefined-length item
/// or sequence that runs off the end of the data is a truncation error.
/// </summary>
internal sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    // VRs whose explicit encoding has 2 reserved bytes and a 32-bit length.
    private static readonly HashSet<string> LongVrs = new(StringComparer.Ordinal) { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" };

    private readonly string _source;
    private readonly DicomReadOptions _options;
    private readonly bool _isPrefix;
    private readonly bool _stopAtPixelData;

    private DicomParser(string source, DicomReadOptions options, bool isPrefix, bool stopAtPixelData)
    {
        _source = source;
        _options = options;
        _isPrefix = isPrefix;
        _stopAtPixelData = stopAtPixelData;
    }

    /// <summary>Thrown when a header read from a prefix of the file needs more bytes than the prefix holds.</summary>
    internal sealed class NeedMoreDataException : Exception
    {
    }

    public static DicomFile Parse(ReadOnlyMemory<byte> data, string source, DicomReadOptions options, bool isPrefix, bool stopAtPixelData) =>
        new DicomParser(source, options, isPrefix, stopAtPixelData).ParseFile(data);

    private DicomFile ParseFile(ReadOnlyMemory<byte> data)
    {
        var span = data.Span;
        var position = 0;
        var hasPreamble = span.Length >= 132 && span.Slice(128, 4).SequenceEqual("DICM"u8);
        if (hasPreamble)
        {
            position = 132;
        }
        else if (span.Length < 8)
        {
            if (_isPrefix)
            {
                throw new NeedMoreDataException();
            }

            throw Fail(MediaDecodeFailure.Truncated, $"{span.Length} bytes is too short for a DICOM file");
        }

        var meta = new DicomDataset();
        if (span.Length >= position + 6 && BinaryPrimitives.ReadUInt16LittleEndian(span[position..]) == 0x0002
            && IsVrText(span.Slice(position + 4, 2)))
        {
            // The meta group is always explicit VR little endian; it may be present without a preamble.
            position = ParseMeta(data, position, meta);
        }
        else if (hasPreamble)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "no file meta information group after the 'DICM' prefix");
        }

        DicomTransferSyntax syntax;
        var syntaxUid = meta.GetString(DicomTags.TransferSyntaxUid);
        syntax = syntaxUid is not null ? DicomTransferSyntax.Parse(syntaxUid) : Detect(span[position..], hasMeta: meta.Elements.Count > 0);

        var body = data[position..];
        if (syntax.IsDeflated)
        {
            body = Inflate(body.Span);
        }

        // Some writers declare one VR encoding and use the other; the first element tells (as pydicom also does).
        var explicitVr = syntax.IsExplicitVr;
        if (body.Length >= 8)
        {
            explicitVr = IsVrText(body.Span.Slice(4, 2));
        }

        var dataset = new DicomDataset();
        ParseDataset(body, 0, body.Length, dataset, explicitVr, syntax.IsBigEndian, depth: 0, untilItemDelimiter: false, topLevel: true);
        return new DicomFile(_source, hasPreamble, meta, dataset, syntax, pixelDataRead: !_stopAtPixelData);
    }

    private int ParseMeta(ReadOnlyMemory<byte> data, int position, DicomDataset meta)
    {
        var span = data.Span;
        while (position + 8 <= span.Length && BinaryPrimitives.ReadUInt16LittleEndian(span[position..]) == 0x0002)
        {
            position = ReadElement(data, position, data.Length, meta, explicitVr: true, bigEndian: false, depth: 0, out _);
        }

        if (position + 8 > span.Length && _isPrefix)
        {
            throw new NeedMoreDataException();
        }

        return position;
    }

    /// <summary>Without a meta header, the first element tells the encoding: a readable VR after the tag means
    /// explicit VR, a small group number in the big-endian reading means big endian.</summary>
    private DicomTransferSyntax Detect(ReadOnlySpan<byte> span, bool hasMeta)
    {
        if (span.Length < 8)
        {
            if (_isPrefix)
            {
                throw new NeedMoreDataException();
            }

            throw Fail(hasMeta ? MediaDecodeFailure.Truncated : MediaDecodeFailure.UnsupportedFormat, "no data set after the header");
        }

        var groupLittle = BinaryPrimitives.ReadUInt16LittleEndian(span);
        var groupBig = BinaryPrimitives.ReadUInt16BigEndian(span);
        var explicitVr = IsVrText(span.Slice(4, 2));
        if (explicitVr && groupBig is >= 0x0002 and <= 0x0028 && groupLittle > 0x0028)
        {
            return DicomTransferSyntax.ExplicitVrBigEndian;
        }

        if (groupLittle is >= 0x0002 and <= 0x0028 or 0x7FE0 || hasMeta)
        {
            return explicitVr ? DicomTransferSyntax.ExplicitVrLittleEndian : DicomTransferSyntax.ImplicitVrLittleEndian;
        }

        throw Fail(MediaDecodeFailure.UnsupportedFormat, "no 'DICM' prefix and the content does not start with a DICOM data element");
    }

    private ReadOnlyMemory<byte> Inflate(ReadOnlySpan<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = inflater.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > _options.MaxInflatedBytes)
                {
                    throw Fail(MediaDecodeFailure.TooLarge, $"the deflated data set inflates past the limit of {_options.MaxInflatedBytes} bytes");
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException exception)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"the deflated data set cannot be inflated: {exception.Message}", exception);
        }

        return output.ToArray();
    }

    /// <summary>Parses elements from <paramref name="position"/> to <paramref name="end"/>, or up to an item
    /// delimiter when <paramref name="untilItemDelimiter"/>; returns the position after what was consumed.</summary>
    private int ParseDataset(ReadOnlyMemory<byte> data, int position, int end, DicomDataset dataset, bool explicitVr, bool bigEndian, int depth,
        bool untilItemDelimiter, bool topLevel)
    {
        var span = data.Span;
        while (position < end)
        {
            if (end - position < 8)
            {
                if (_isPrefix && end == data.Length)
                {
                    throw new NeedMoreDataException();
                }

                // Trailing padding shorter than an element header is tolerated at the end of the file.
                if (topLevel && span[position..end].IndexOfAnyExcept((byte)0) < 0)
                {
                    return end;
                }

                throw Fail(MediaDecodeFailure.Truncated, $"{end - position} bytes at offset {position} are too few for an element header");
            }

            var tag = ReadTag(span[position..], bigEndian);
            if (tag == DicomTags.ItemDelimitationItem)
            {
                if (!untilItemDelimiter)
                {
                    throw Fail(MediaDecodeFailure.Corrupt, $"an item delimiter at offset {position} outside an undefined-length item");
                }

                return position + 8;
            }

            if (topLevel && _stopAtPixelData && tag == DicomTags.PixelData)
            {
                return position;
            }

            position = ReadElement(data, position, end, dataset, explicitVr, bigEndian, depth, out _);
        }

        if (untilItemDelimiter)
        {
            if (_isPrefix && end == data.Length)
            {
                throw new NeedMoreDataException();
            }

            throw Fail(MediaDecodeFailure.Truncated, "an undefined-length item has no item delimiter before the end of its data");
        }

        return position;
    }

    private int ReadElement(ReadOnlyMemory<byte> data, int position, int end, DicomDataset dataset, bool explicitVr, bool bigEndian, int depth, out DicomTag tag)
    {
        var span = data.Span;
        var start = position;
        tag = ReadTag(span[position..], bigEndian);
        string vr;
        uint length;
        if (explicitVr && tag.Group != 0xFFFE)
        {
            var vrBytes = span.Slice(position + 4, 2);
            if (!IsVrText(vrBytes))
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"element {tag} at offset {start} has no valid VR (bytes {vrBytes[0]:X2} {vrBytes[1]:X2})");
            }

            vr = Encoding.ASCII.GetString(vrBytes);
            if (LongVrs.Contains(vr))
            {
                Need(position, 12, end, data.Length, tag);
                length = ReadUInt32(span[(position + 8)..], bigEndian);
                position += 12;
            }
            else
            {
                length = ReadUInt16(span[(position + 6)..], bigEndian);
                position += 8;
            }
        }
        else
        {
            length = ReadUInt32(span[(position + 4)..], bigEndian);
            vr = tag.Group == 0xFFFE ? "NONE" : ImplicitVr(tag, length);
            position += 8;
        }

        if (tag.Group == 0xFFFE)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"an item tag {tag} at offset {start} outside a sequence");
        }

        if (length == UndefinedLength)
        {
            if (tag == DicomTags.PixelData)
            {
                dataset.Add(ReadFragments(data, position, end, tag, bigEndian, out position));
                return position;
            }

            if (vr is "SQ" or "UN")
            {
                // An undefined-length UN is a sequence encoded implicit VR little endian (PS3.5 6.2.2).
                var itemsExplicit = vr != "UN" && explicitVr;
                var itemsBig = vr != "UN" && bigEndian;
                var items = ReadSequence(data, position, end, undefinedLength: true, itemsExplicit, itemsBig, depth + 1, dataset, out position);
                dataset.Add(new DicomElement(tag, "SQ", ReadOnlyMemory<byte>.Empty, bigEndian, items));
                return position;
            }

            throw Fail(MediaDecodeFailure.Corrupt, $"element {tag} ({vr}) at offset {start} has an undefined length, allowed only for sequences and pixel data");
        }

        if (length > (uint)(end - position))
        {
            if (_isPrefix && end == data.Length)
            {
                throw new NeedMoreDataException();
            }

            throw Fail(MediaDecodeFailure.Truncated, $"element {tag} ({vr}) at offset {start} declares {length} bytes but only {end - position} remain");
        }

        var valueEnd = position + (int)length;
        if (vr == "SQ")
        {
            var items = ReadSequence(data, position, valueEnd, undefinedLength: false, explicitVr, bigEndian, depth + 1, dataset, out _);
            dataset.Add(new DicomElement(tag, "SQ", ReadOnlyMemory<byte>.Empty, bigEndian, items));
        }
        else
        {
            dataset.Add(new DicomElement(tag, vr, data[position..valueEnd], bigEndian));
        }

        return valueEnd;
    }

    private List<DicomDataset> ReadSequence(ReadOnlyMemory<byte> data, int position, int end, bool undefinedLength, bool explicitVr, bool bigEndian, int depth,
        DicomDataset parent, out int after)
    {
        if (depth > _options.MaxSequenceDepth)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"sequences are nested deeper than the limit of {_options.MaxSequenceDepth} at offset {position}");
        }

        var span = data.Span;
        var items = new List<DicomDataset>();
        while (true)
        {
            if (!undefinedLength && position >= end)
            {
                after = position;
                return items;
            }

            if (end - position < 8)
            {
                if (_isPrefix && end == data.Length)
                {
                    throw new NeedMoreDataException();
                }

                throw Fail(MediaDecodeFailure.Truncated, undefinedLength
                    ? $"an undefined-length sequence has no sequence delimiter before offset {end}"
                    : $"a sequence item header at offset {position} is cut off");
            }

            var tag = ReadTag(span[position..], bigEndian);
            var length = ReadUInt32(span[(position + 4)..], bigEndian);
            position += 8;
            if (tag == DicomTags.SequenceDelimitationItem)
            {
                after = position;
                return items;
            }

            if (tag != DicomTags.Item)
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"expected a sequence item at offset {position - 8}, found {tag}");
            }

            var item = new DicomDataset(parent);
            if (length == UndefinedLength)
            {
                position = ParseDataset(data, position, end, item, explicitVr, bigEndian, depth, untilItemDelimiter: true, topLevel: false);
            }
            else
            {
                if (length > (uint)(end - position))
                {
                    if (_isPrefix && end == data.Length)
                    {
                        throw new NeedMoreDataException();
                    }

                    throw Fail(MediaDecodeFailure.Truncated, $"a sequence item at offset {position - 8} declares {length} bytes but only {end - position} remain");
                }

                var itemEnd = position + (int)length;
                ParseDataset(data, position, itemEnd, item, explicitVr, bigEndian, depth, untilItemDelimiter: false, topLevel: false);
                position = itemEnd;
            }

            items.Add(item);
        }
    }

    private DicomElement ReadFragments(ReadOnlyMemory<byte> data, int position, int end, DicomTag tag, bool bigEndian, out int after)
    {
        var span = data.Span;
        var fragments = new List<ReadOnlyMemory<byte>>();
        ReadOnlyMemory<byte>? offsetTable = null;
        while (true)
        {
            if (end - position < 8)
            {
                if (_isPrefix && end == data.Length)
                {
                    throw new NeedMoreDataException();
                }

                throw Fail(MediaDecodeFailure.Truncated, "the encapsulated pixel data has no sequence delimiter before the end of the file");
            }

            var itemTag = ReadTag(span[position..], bigEndian);
            var length = ReadUInt32(span[(position + 4)..], bigEndian);
            position += 8;
            if (itemTag == DicomTags.SequenceDelimitationItem)
            {
                after = position;
                return new DicomElement(tag, "OB", ReadOnlyMemory<byte>.Empty, bigEndian, fragments: fragments) { BasicOffsetTable = offsetTable ?? ReadOnlyMemory<byte>.Empty };
            }

            if (itemTag != DicomTags.Item)
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"expected a pixel data fragment at offset {position - 8}, found {itemTag}");
            }

            if (length > (uint)(end - position))
            {
                if (_isPrefix && end == data.Length)
                {
                    throw new NeedMoreDataException();
                }

                throw Fail(MediaDecodeFailure.Truncated, $"a pixel data fragment at offset {position - 8} declares {length} bytes but only {end - position} remain");
            }

            var value = data.Slice(position, (int)length);
            if (offsetTable is null)
            {
                offsetTable = value;
            }
            else
            {
                fragments.Add(value);
            }

            position += (int)length;
        }
    }

    private void Need(int position, int count, int end, int dataLength, DicomTag tag)
    {
        if (end - position < count)
        {
            if (_isPrefix && end == dataLength)
            {
                throw new NeedMoreDataException();
            }

            throw Fail(MediaDecodeFailure.Truncated, $"the header of element {tag} at offset {position} is cut off");
        }
    }

    private static DicomTag ReadTag(ReadOnlySpan<byte> span, bool bigEndian) => bigEndian
        ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(span), BinaryPrimitives.ReadUInt16BigEndian(span[2..]))
        : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..]));

    private static uint ReadUInt32(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

    private static ushort ReadUInt16(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    private static bool IsVrText(ReadOnlySpan<byte> vr) => vr.Length == 2 && vr[0] is >= (byte)'A' and <= (byte)'Z' && vr[1] is >= (byte)'A' and <= (byte)'Z';

    private DicomFormatException Fail(MediaDecodeFailure failure, string reason, Exception? inner = null) => new(_source, failure, reason, inner);

    /// <summary>The VR of the attributes this reader interprets, for implicit-VR data; everything else is UN
    /// (its bytes are kept, not interpreted).</summary>
    private static string ImplicitVr(DicomTag tag, uint length)
    {
        if (length == UndefinedLength)
        {
            return "SQ";
        }

        return ImplicitVrs.TryGetValue(tag, out var vr) ? vr
            : tag.Element == 0x0000 ? "UL"
            : "UN";
    }

    private static readonly Dictionary<DicomTag, string> ImplicitVrs = new()
    {
        [DicomTags.SpecificCharacterSet] = "CS", [DicomTags.SopClassUid] = "UI", [DicomTags.SopInstanceUid] = "UI",
        [DicomTags.StudyDate] = "DA", [DicomTags.SeriesDate] = "DA", [DicomTags.AcquisitionDate] = "DA", [DicomTags.ContentDate] = "DA",
        [DicomTags.StudyTime] = "TM", [DicomTags.AccessionNumber] = "SH", [DicomTags.Modality] = "CS", [DicomTags.Manufacturer] = "LO",
        [DicomTags.InstitutionName] = "LO", [DicomTags.InstitutionAddress] = "ST", [DicomTags.ReferringPhysicianName] = "PN",
        [DicomTags.StationName] = "SH", [DicomTags.StudyDescription] = "LO", [DicomTags.SeriesDescription] = "LO",
        [DicomTags.PatientName] = "PN", [DicomTags.PatientId] = "LO", [DicomTags.PatientBirthDate] = "DA", [DicomTags.PatientSex] = "CS",
        [DicomTags.PatientAge] = "AS", [DicomTags.BodyPartExamined] = "CS", [DicomTags.SliceThickness] = "DS",
        [DicomTags.StudyInstanceUid] = "UI", [DicomTags.SeriesInstanceUid] = "UI", [DicomTags.StudyId] = "SH",
        [DicomTags.SeriesNumber] = "IS", [DicomTags.InstanceNumber] = "IS",
        [DicomTags.SamplesPerPixel] = "US", [DicomTags.PhotometricInterpretation] = "CS", [DicomTags.PlanarConfiguration] = "US",
        [DicomTags.NumberOfFrames] = "IS", [DicomTags.Rows] = "US", [DicomTags.Columns] = "US", [DicomTags.BitsAllocated] = "US",
        [DicomTags.BitsStored] = "US", [DicomTags.HighBit] = "US", [DicomTags.PixelRepresentation] = "US",
        [DicomTags.WindowCenter] = "DS", [DicomTags.WindowWidth] = "DS", [DicomTags.RescaleIntercept] = "DS", [DicomTags.RescaleSlope] = "DS",
        [DicomTags.RedPaletteLutDescriptor] = "US", [DicomTags.GreenPaletteLutDescriptor] = "US", [DicomTags.BluePaletteLutDescriptor] = "US",
        [DicomTags.RedPaletteLutData] = "OW", [DicomTags.GreenPaletteLutData] = "OW", [DicomTags.BluePaletteLutData] = "OW",
        [DicomTags.PixelData] = "OW",
    };
}
