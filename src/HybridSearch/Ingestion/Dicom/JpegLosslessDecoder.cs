using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// A decoder for JPEG Lossless, non-hierarchical (ITU-T T.81 process 14, SOF3): Huffman-coded differences from one
/// of the seven predictors (selection value 1 is DICOM's 1.2.840.10008.1.2.4.70; 1.2.840.10008.1.2.4.57 allows any),
/// 2 to 16 bits, one or more components (interleaved scan, or one scan per component), restart intervals and the
/// point transform. Sampling factors other than 1×1 are refused (DICOM lossless images do not use them).
/// </summary>
internal sealed class JpegLosslessDecoder
{
    private const string Prefix = "JPEG Lossless";
    private readonly string _source;
    private readonly JpegHuffmanTable?[] _tables = new JpegHuffmanTable?[4];
    private int _restartInterval;
    private int _precision;
    private int _width;
    private int _height;
    private int[] _componentIds = [];

    private JpegLosslessDecoder(string source)
    {
        _source = source;
    }

    /// <summary>Decodes a lossless JPEG stream into pixel-interleaved samples.</summary>
    public static ushort[] Decode(ReadOnlySpan<byte> data, string source, out int width, out int height, out int components, out int precision)
    {
        var decoder = new JpegLosslessDecoder(source);
        var samples = decoder.Run(data);
        width = decoder._width;
        height = decoder._height;
        components = decoder._componentIds.Length;
        precision = decoder._precision;
        return samples;
    }

    /// <summary>Reads the frame header (SOF) only, so sizes can be checked before decoding.</summary>
    public static (int Width, int Height, int Components, int Precision) ReadFrameHeader(ReadOnlySpan<byte> data, string source)
    {
        var position = 2;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                position++;
                continue;
            }

            var marker = data[position + 1];
            if (marker is 0xFF or 0x00 or >= 0xD0 and <= 0xD8)
            {
                position += marker == 0xFF ? 1 : 2;
                continue;
            }

            var length = (data[position + 2] << 8) | data[position + 3];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (position + 2 + length > data.Length || length < 8)
                {
                    break;
                }

                var header = data.Slice(position + 4, length - 2);
                return ((header[3] << 8) | header[4], (header[1] << 8) | header[2], header[5], header[0]);
            }

            position += 2 + length;
        }

        throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, "the JPEG stream has no frame header");
    }

    private ushort[] Run(ReadOnlySpan<byte> data)
    {
        ushort[]? samples = null;
        var segments = new JpegSegmentReader(data, _source, Prefix);
        while (true)
        {
            if (!segments.TryNext(out var marker, out var segment))
            {
                throw Fail(MediaDecodeFailure.Truncated, "the JPEG stream ends before EOI");
            }

            if (marker == JpegSegmentReader.EndOfImage)
            {
                break;
            }

            switch (marker)
            {
                case 0xC3:
                    samples = ReadFrame(segment);
                    break;
                case 0xC4:
                    ReadHuffmanTables(segment);
                    break;
                case 0xDD:
                    _restartInterval = segment.Length >= 2 ? (segment[0] << 8) | segment[1] : 0;
                    break;
                case 0xDA:
                    if (samples is null)
                    {
                        throw Fail(MediaDecodeFailure.Corrupt, "a JPEG scan comes before the lossless frame header (SOF3)");
                    }

                    segments.Position = DecodeScan(segment, data, segments.Position, samples);
                    break;
                case >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC:
                    throw Fail(MediaDecodeFailure.UnsupportedFormat, $"JPEG process SOF{marker - 0xC0} is not lossless process 14 (SOF3)");
                default:
                    break; // APPn, COM, DQT, DNL: nothing needed
            }
        }

        return samples ?? throw Fail(MediaDecodeFailure.Corrupt, "the JPEG stream has no frame");
    }

    private ushort[] ReadFrame(ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 6)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the SOF3 header is too short");
        }

        _precision = segment[0];
        _height = (segment[1] << 8) | segment[2];
        _width = (segment[3] << 8) | segment[4];
        var count = segment[5];
        if (_precision is < 2 or > 16 || _width == 0 || _height == 0 || count is 0 or > 4 || segment.Length < 6 + 3 * count)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"the SOF3 header is invalid ({_width}x{_height}, {count} components, {_precision} bits)");
        }

        _componentIds = new int[count];
        for (var c = 0; c < count; c++)
        {
            _componentIds[c] = segment[6 + 3 * c];
            if (segment[7 + 3 * c] != 0x11)
            {
                throw Fail(MediaDecodeFailure.UnsupportedFormat, $"JPEG component {c} has sampling factors {segment[7 + 3 * c]:X2}; only 1x1 is supported");
            }
        }

        return new ushort[(long)_width * _height * count <= int.MaxValue ? _width * _height * count : throw Fail(MediaDecodeFailure.TooLarge, "the JPEG frame is too large")];
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> segment)
    {
        var position = 0;
        while (position < segment.Length)
        {
            var classAndId = segment[position];
            if (position + 17 > segment.Length)
            {
                throw Fail(MediaDecodeFailure.Corrupt, "a Huffman table is cut off");
            }

            var counts = segment.Slice(position + 1, 16);
            var total = 0;
            foreach (var c in counts)
            {
                total += c;
            }

            if (position + 17 + total > segment.Length || total > 256)
            {
                throw Fail(MediaDecodeFailure.Corrupt, "a Huffman table lists more values than it holds");
            }

            if ((classAndId >> 4) == 0)
            {
                _tables[classAndId & 3] = new JpegHuffmanTable(counts, segment.Slice(position + 17, total), _source, Prefix);
            }

            position += 17 + total;
        }
    }

    private int DecodeScan(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, int position, ushort[] samples)
    {
        var count = header.Length > 0 ? header[0] : 0;
        if (count == 0 || header.Length < 1 + 2 * count + 3)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the SOS header is too short");
        }

        var scanComponents = new int[count];
        var scanTables = new JpegHuffmanTable[count];
        for (var i = 0; i < count; i++)
        {
            var index = Array.IndexOf(_componentIds, header[1 + 2 * i]);
            if (index < 0)
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"the scan names component {header[1 + 2 * i]}, which the frame does not have");
            }

            scanComponents[i] = index;
            var tableId = header[2 + 2 * i] >> 4;
            scanTables[i] = (tableId < _tables.Length ? _tables[tableId] : null) ?? throw Fail(MediaDecodeFailure.Corrupt, $"the scan uses Huffman table {header[2 + 2 * i] >> 4}, which is not defined");
        }

        var predictor = header[1 + 2 * count];
        var pointTransform = header[3 + 2 * count] & 0x0F;
        if (predictor is < 1 or > 7)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"the lossless predictor {predictor} is not 1..7");
        }

        var components = _componentIds.Length;
        var bits = new JpegBitReader(data, position, _source, Prefix);
        var initial = 1 << (_precision - pointTransform - 1);
        var width = _width;
        var units = 0L;
        var firstLine = true; // the first line of the scan, or of a restart interval, predicts from the left only
        var firstSample = true;
        for (var y = 0; y < _height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (_restartInterval > 0 && units > 0 && units % _restartInterval == 0)
                {
                    bits.Restart();
                    firstLine = true;
                    firstSample = true;
                }

                units++;
                for (var i = 0; i < count; i++)
                {
                    var c = scanComponents[i];
                    var index = ((y * width) + x) * components + c;
                    int prediction;
                    if (firstSample)
                    {
                        prediction = initial;
                    }
                    else if (firstLine)
                    {
                        prediction = samples[index - components] >> pointTransform;
                    }
                    else if (x == 0)
                    {
                        prediction = samples[index - width * components] >> pointTransform;
                    }
                    else
                    {
                        int a = samples[index - components] >> pointTransform;
                        int b = samples[index - width * components] >> pointTransform;
                        int d = samples[index - width * components - components] >> pointTransform;
                        prediction = predictor switch
                        {
                            1 => a,
                            2 => b,
                            3 => d,
                            4 => a + b - d,
                            5 => a + ((b - d) >> 1),
                            6 => b + ((a - d) >> 1),
                            _ => (a + b) >> 1,
                        };
                    }

                    var difference = DecodeDifference(ref bits, scanTables[i]);
                    samples[index] = (ushort)(((prediction + difference) & 0xFFFF) << pointTransform);
                }

                firstSample = false;
            }

            firstLine = false;
        }

        return bits.EndPosition();
    }

    private int DecodeDifference(ref JpegBitReader bits, JpegHuffmanTable table)
    {
        var category = table.Decode(ref bits);
        if (category == 0)
        {
            return 0;
        }

        if (category == 16)
        {
            return 32768;
        }

        if (category > 16)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"difference category {category} is over 16");
        }

        var value = bits.ReadBits(category);
        return value < (1 << (category - 1)) ? value - (1 << category) + 1 : value;
    }

    private DicomFormatException Fail(MediaDecodeFailure failure, string reason) => new(_source, failure, Prefix + ": " + reason);
}
