using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// A decoder for lossy JPEG as DICOM stores it: Baseline and Extended sequential Huffman, 8-bit (ITU-T T.81
/// processes 1 and 2/4, SOF0 and SOF1; 1.2.840.10008.1.2.4.50 and .51), one or three components, any sampling
/// factors libjpeg accepts, restart intervals. It reproduces libjpeg(-turbo)'s default decode, which is what the
/// ecosystem's readers give (pydicom through Pillow, dcmtk through its IJG copy), value for value: the ISLOW
/// integer inverse DCT (Loeffler–Ligtenberg–Moschytz with 13-bit constants) and its range limiting, the "fancy"
/// triangular chroma upsampling for 2:1 ratios (h2v1, h1v2, h2v2) and replication for other integral ratios, and
/// the fixed-point YCbCr→RGB conversion. ImageSharp, which decodes ordinary .jpg images, upsamples chroma
/// differently (single values up to ~75 levels apart at colour edges), hence this decoder for the DICOM path.
/// Bounded: every segment length is checked against the data, the frame is checked against the pixel limit before
/// anything is allocated from it, and damage is a <see cref="DicomFormatException"/>.
/// </summary>
internal sealed class JpegBaselineDecoder
{
    private const string Prefix = "JPEG";

    /// <summary>The natural (row-major) index of the k-th coefficient of the zig-zag order (T.81 figure A.6).</summary>
    private static readonly byte[] NaturalOrder =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>libjpeg's post-IDCT range limit: the descaled value masked to 10 bits; -128..127 around the centre map
    /// to 0..255, values past either end clamp, and wrapped garbage from corrupt data lands where libjpeg puts it.</summary>
    private static readonly byte[] IdctRangeLimit = BuildIdctRangeLimit();

    // libjpeg's YCbCr→RGB tables (16-bit fixed point): R = Y + CrToR[Cr], G = Y + ((CbToG[Cb] + CrToG[Cr]) >> 16),
    // B = Y + CbToB[Cb], each clamped to 0..255.
    private static readonly int[] CrToR = BuildColourTable(1.40200, rounded: true);
    private static readonly int[] CbToB = BuildColourTable(1.77200, rounded: true);
    private static readonly int[] CrToG = BuildColourTable(-0.71414, rounded: false);
    private static readonly int[] CbToG = BuildColourTable(-0.34414, rounded: false, addHalf: true);

    private readonly string _source;
    private readonly long _maxPixels;
    private readonly short[]?[] _quantTables = new short[4][];
    private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable?[4];
    private readonly JpegHuffmanTable?[] _acTables = new JpegHuffmanTable?[4];
    private Component[] _components = [];
    private int _width;
    private int _height;
    private int _maxH;
    private int _maxV;
    private int _mcusX;
    private int _mcusY;
    private int _restartInterval;
    private bool _sawAdobe;
    private int _adobeTransform;

    private JpegBaselineDecoder(string source, long maxPixels)
    {
        _source = source;
        _maxPixels = maxPixels;
    }

    /// <summary>Decodes a Baseline/Extended 8-bit JPEG stream into pixel-interleaved 8-bit samples.</summary>
    /// <param name="data">The JPEG stream (one DICOM frame).</param>
    /// <param name="source">The file, named in errors.</param>
    /// <param name="photometric">The data set's PhotometricInterpretation, which says what the components are:
    /// YBR_* keeps YCbCr as decoded (the renderer converts it, as pydicom does); RGB means R, G, B (no colour
    /// transform) unless an Adobe marker says the stream was transformed, which libjpeg then undoes.</param>
    /// <param name="maxPixels">Largest frame decoded.</param>
    /// <param name="outputPhotometric">What the samples are: the monochrome interpretation given, <c>RGB</c> or
    /// <c>YBR_FULL</c>.</param>
    /// <exception cref="DicomFormatException">Damaged, truncated, over the limit, or a JPEG process other than
    /// sequential Huffman 8-bit.</exception>
    public static ushort[] Decode(ReadOnlySpan<byte> data, string source, string photometric, long maxPixels, out string outputPhotometric)
    {
        var decoder = new JpegBaselineDecoder(source, maxPixels);
        decoder.Run(data);
        return decoder.Output(photometric, out outputPhotometric);
    }

    private void Run(ReadOnlySpan<byte> data)
    {
        var segments = new JpegSegmentReader(data, _source, Prefix);
        while (true)
        {
            if (!segments.TryNext(out var marker, out var segment))
            {
                if (_components.Length > 0 && _components.All(c => c.Decoded))
                {
                    break; // every component is complete; only the EOI marker is missing
                }

                throw Fail(MediaDecodeFailure.Truncated, "the JPEG stream ends before EOI");
            }

            if (marker == JpegSegmentReader.EndOfImage)
            {
                break;
            }

            switch (marker)
            {
                case 0xC0 or 0xC1:
                    ReadFrame(segment);
                    break;
                case 0xC4:
                    ReadHuffmanTables(segment);
                    break;
                case 0xDB:
                    ReadQuantTables(segment);
                    break;
                case 0xDD:
                    _restartInterval = segment.Length >= 2 ? (segment[0] << 8) | segment[1] : throw Fail(MediaDecodeFailure.Corrupt, "the DRI segment is too short");
                    break;
                case 0xDA:
                    segments.Position = DecodeScan(segment, data, segments.Position);
                    break;
                case 0xEE:
                    if (segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8))
                    {
                        _sawAdobe = true;
                        _adobeTransform = segment[11];
                    }

                    break;
                case >= 0xC2 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC:
                    throw Fail(MediaDecodeFailure.UnsupportedFormat, $"JPEG process SOF{marker - 0xC0} is not supported (baseline and extended sequential Huffman only)");
                default:
                    break; // other APPn, COM, DNL: nothing needed
            }
        }

        if (_components.Length == 0)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the JPEG stream has no frame");
        }

        if (_components.FirstOrDefault(c => !c.Decoded) is { } missing)
        {
            throw Fail(MediaDecodeFailure.Truncated, $"JPEG component {missing.Id} is in no scan");
        }
    }

    private void ReadFrame(ReadOnlySpan<byte> segment)
    {
        if (_components.Length > 0)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the JPEG stream has two frame headers");
        }

        if (segment.Length < 6)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the SOF header is too short");
        }

        var precision = segment[0];
        _height = (segment[1] << 8) | segment[2];
        _width = (segment[3] << 8) | segment[4];
        var count = segment[5];
        if (precision != 8)
        {
            throw Fail(MediaDecodeFailure.UnsupportedFormat, $"{precision}-bit lossy JPEG is not supported (8-bit only)");
        }

        if (_width == 0 || _height == 0 || count is not (1 or 3) || segment.Length < 6 + 3 * count)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"the SOF header is invalid or unsupported ({_width}x{_height}, {count} components; 1 or 3 are supported)");
        }

        if ((long)_width * _height > _maxPixels)
        {
            throw Fail(MediaDecodeFailure.TooLarge, $"a JPEG frame of {_width}x{_height} pixels is over the limit of {_maxPixels}");
        }

        var components = new Component[count];
        for (var c = 0; c < count; c++)
        {
            var sampling = segment[7 + 3 * c];
            var component = new Component(segment[6 + 3 * c], sampling >> 4, sampling & 15, segment[8 + 3 * c]);
            if (component.H is < 1 or > 4 || component.V is < 1 or > 4 || component.QuantTable > 3)
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"JPEG component {component.Id} has sampling factors {sampling:X2} or quantisation table {component.QuantTable} out of range");
            }

            components[c] = component;
        }

        _maxH = components.Max(c => c.H);
        _maxV = components.Max(c => c.V);
        _mcusX = (_width + 8 * _maxH - 1) / (8 * _maxH);
        _mcusY = (_height + 8 * _maxV - 1) / (8 * _maxV);
        foreach (var component in components)
        {
            component.BlocksPerLine = _mcusX * component.H;
            component.BlocksPerColumn = _mcusY * component.V;
            component.Width = (int)(((long)_width * component.H + _maxH - 1) / _maxH);
            component.Height = (int)(((long)_height * component.V + _maxV - 1) / _maxV);
            component.Coefficients = new short[(long)component.BlocksPerLine * component.BlocksPerColumn * 64];
        }

        _components = components;
    }

    private void ReadQuantTables(ReadOnlySpan<byte> segment)
    {
        var position = 0;
        while (position < segment.Length)
        {
            var precision = segment[position] >> 4;
            var id = segment[position] & 15;
            var size = precision == 0 ? 64 : 128;
            if (precision > 1 || id > 3 || position + 1 + size > segment.Length)
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"quantisation table {id} (precision {precision}) is invalid or cut off");
            }

            // Natural order; libjpeg keeps the 16-bit values as its 16-bit multiplier type, so the same cast.
            var table = new short[64];
            for (var k = 0; k < 64; k++)
            {
                var at = position + 1 + (precision == 0 ? k : 2 * k);
                table[NaturalOrder[k]] = (short)(precision == 0 ? segment[at] : (segment[at] << 8) | segment[at + 1]);
            }

            _quantTables[id] = table;
            position += 1 + size;
        }
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> segment)
    {
        var position = 0;
        while (position < segment.Length)
        {
            var tableClass = segment[position] >> 4;
            var id = segment[position] & 15;
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

            if (tableClass > 1 || id > 3 || total > 256 || position + 17 + total > segment.Length)
            {
                throw Fail(MediaDecodeFailure.Corrupt, $"Huffman table {tableClass}/{id} is invalid or lists more values than it holds");
            }

            var table = new JpegHuffmanTable(counts, segment.Slice(position + 17, total), _source, Prefix);
            (tableClass == 0 ? _dcTables : _acTables)[id] = table;
            position += 17 + total;
        }
    }

    private int DecodeScan(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, int position)
    {
        if (_components.Length == 0)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "a JPEG scan comes before the frame header");
        }

        var count = header.Length > 0 ? header[0] : 0;
        if (count is 0 or > 4 || header.Length < 1 + 2 * count + 3)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the SOS header is invalid");
        }

        var scan = new Component[count];
        for (var i = 0; i < count; i++)
        {
            var id = header[1 + 2 * i];
            var component = Array.Find(_components, c => c.Id == id)
                ?? throw Fail(MediaDecodeFailure.Corrupt, $"the scan names component {id}, which the frame does not have");
            var dc = header[2 + 2 * i] >> 4;
            var ac = header[2 + 2 * i] & 15;
            component.Dc = (dc < 4 ? _dcTables[dc] : null) ?? throw Fail(MediaDecodeFailure.Corrupt, $"the scan uses DC Huffman table {dc}, which is not defined");
            component.Ac = (ac < 4 ? _acTables[ac] : null) ?? throw Fail(MediaDecodeFailure.Corrupt, $"the scan uses AC Huffman table {ac}, which is not defined");

            // libjpeg latches a component's quantisation table at its first scan.
            component.Quant ??= _quantTables[component.QuantTable] ?? throw Fail(MediaDecodeFailure.Corrupt, $"quantisation table {component.QuantTable} is not defined");
            component.Predictor = 0;
            if (component.Decoded)
            {
                Array.Clear(component.Coefficients); // a second scan of a component (not sequential JPEG, but possible)
            }

            component.Decoded = true;
            scan[i] = component;
        }

        if (count > 1 && scan.Sum(c => c.H * c.V) > 10)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "an interleaved JPEG scan has more than 10 blocks per MCU");
        }

        var bits = new JpegBitReader(data, position, _source, Prefix);
        var units = 0L;
        if (count == 1)
        {
            // Non-interleaved: the component's own blocks, each an MCU, covering its sampled size only.
            var component = scan[0];
            var blocksX = (component.Width + 7) / 8;
            var blocksY = (component.Height + 7) / 8;
            for (var by = 0; by < blocksY; by++)
            {
                for (var bx = 0; bx < blocksX; bx++)
                {
                    Restart(ref bits, scan, units++);
                    DecodeBlock(ref bits, component, (by * component.BlocksPerLine) + bx);
                }
            }
        }
        else
        {
            for (var my = 0; my < _mcusY; my++)
            {
                for (var mx = 0; mx < _mcusX; mx++)
                {
                    Restart(ref bits, scan, units++);
                    foreach (var component in scan)
                    {
                        for (var by = 0; by < component.V; by++)
                        {
                            var row = ((my * component.V) + by) * component.BlocksPerLine;
                            for (var bx = 0; bx < component.H; bx++)
                            {
                                DecodeBlock(ref bits, component, row + (mx * component.H) + bx);
                            }
                        }
                    }
                }
            }
        }

        return bits.EndPosition();
    }

    private void Restart(ref JpegBitReader bits, Component[] scan, long units)
    {
        if (_restartInterval > 0 && units > 0 && units % _restartInterval == 0)
        {
            bits.Restart();
            foreach (var component in scan)
            {
                component.Predictor = 0;
            }
        }
    }

    private void DecodeBlock(ref JpegBitReader bits, Component component, int blockIndex)
    {
        var block = component.Coefficients.AsSpan(blockIndex * 64, 64); // zero: fresh, or cleared at the scan's start
        var category = component.Dc!.Decode(ref bits);
        if (category > 16)
        {
            throw Fail(MediaDecodeFailure.Corrupt, $"DC difference category {category} is over 16");
        }

        component.Predictor += category == 0 ? 0 : Extend(bits.ReadBits(category), category);
        block[0] = (short)component.Predictor; // libjpeg keeps coefficients as 16-bit values, so the same cast
        var ac = component.Ac!;
        for (var k = 1; k < 64; k++)
        {
            var runSize = ac.Decode(ref bits);
            var run = runSize >> 4;
            var size = runSize & 15;
            if (size == 0)
            {
                if (run != 15)
                {
                    break; // end of block
                }

                k += 15; // sixteen zeros
                continue;
            }

            k += run;
            if (k > 63)
            {
                throw Fail(MediaDecodeFailure.Corrupt, "a run of AC coefficients passes the end of its block");
            }

            block[NaturalOrder[k]] = (short)Extend(bits.ReadBits(size), size);
        }
    }

    private static int Extend(int value, int size) => value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;

    private ushort[] Output(string photometric, out string outputPhotometric)
    {
        var planes = new byte[_components.Length][];
        for (var c = 0; c < _components.Length; c++)
        {
            planes[c] = Upsample(_components[c], InverseDct(_components[c]));
        }

        var pixels = _width * _height;
        if (_components.Length == 1)
        {
            var grey = new ushort[pixels];
            for (var i = 0; i < pixels; i++)
            {
                grey[i] = planes[0][i];
            }

            outputPhotometric = photometric;
            return grey;
        }

        // Which colour space the components are in. DICOM's PhotometricInterpretation describes the compressed
        // bitstream (PS3.5 8.2.1) and the references follow it: YBR_* is YCbCr (pydicom asks libjpeg for YCbCr as
        // decoded, dcmtk converts by it), whatever markers the stream has; RGB is R, G, B unless an Adobe marker
        // says the stream was colour-transformed (Pillow, and so pydicom, then lets libjpeg convert; a JFIF marker
        // alone does not make pydicom or dcmtk convert).
        var ycc = photometric.StartsWith("YBR", StringComparison.Ordinal) || (_sawAdobe && _adobeTransform != 0);
        var samples = new ushort[pixels * 3];
        byte[] first = planes[0], second = planes[1], third = planes[2];
        if (!ycc || photometric != "RGB")
        {
            // As decoded: R, G, B, or Y, Cb, Cr left for the renderer to convert (as pydicom does for YBR_*).
            for (int i = 0, o = 0; i < pixels; i++, o += 3)
            {
                samples[o] = first[i];
                samples[o + 1] = second[i];
                samples[o + 2] = third[i];
            }

            outputPhotometric = ycc ? "YBR_FULL" : "RGB";
            return samples;
        }

        for (int i = 0, o = 0; i < pixels; i++, o += 3)
        {
            int y = first[i], cb = second[i], cr = third[i];
            samples[o] = (ushort)Math.Clamp(y + CrToR[cr], 0, 255);
            samples[o + 1] = (ushort)Math.Clamp(y + ((CbToG[cb] + CrToG[cr]) >> 16), 0, 255);
            samples[o + 2] = (ushort)Math.Clamp(y + CbToB[cb], 0, 255);
        }

        outputPhotometric = "RGB";
        return samples;
    }

    /// <summary>The component's samples at its own resolution (whole blocks), by libjpeg's ISLOW inverse DCT.</summary>
    private static byte[] InverseDct(Component component)
    {
        var stride = component.BlocksPerLine * 8;
        var plane = new byte[(long)stride * component.BlocksPerColumn * 8];
        var quant = component.Quant!;
        Span<int> workspace = stackalloc int[64];
        for (var by = 0; by < component.BlocksPerColumn; by++)
        {
            for (var bx = 0; bx < component.BlocksPerLine; bx++)
            {
                var block = component.Coefficients.AsSpan(((by * component.BlocksPerLine) + bx) * 64, 64);
                InverseDctBlock(block, quant, workspace, plane.AsSpan((by * 8 * stride) + (bx * 8)), stride);
            }
        }

        return plane;
    }

    /// <summary>
    /// libjpeg's accurate integer inverse DCT (jidctint.c, "ISLOW"): the Loeffler–Ligtenberg–Moschytz 1-D transform
    /// with 12 multiplications, constants scaled by 2^13, applied to the dequantised columns (results kept with 2
    /// extra bits) and then to the rows, each result rounded, shifted down and range-limited. Columns or rows whose
    /// AC terms are all zero take the exact shortcut libjpeg takes.
    /// </summary>
    private static void InverseDctBlock(ReadOnlySpan<short> block, short[] quant, Span<int> workspace, Span<byte> output, int stride)
    {
        const int ConstBits = 13;
        const int Pass1Bits = 2;
        const long Fix0298631336 = 2446, Fix0390180644 = 3196, Fix0541196100 = 4433, Fix0765366865 = 6270;
        const long Fix0899976223 = 7373, Fix1175875602 = 9633, Fix1501321110 = 12299, Fix1847759065 = 15137;
        const long Fix1961570560 = 16069, Fix2053119869 = 16819, Fix2562915447 = 20995, Fix3072711026 = 25172;

        for (var column = 0; column < 8; column++)
        {
            if (block[8 + column] == 0 && block[16 + column] == 0 && block[24 + column] == 0 && block[32 + column] == 0
                && block[40 + column] == 0 && block[48 + column] == 0 && block[56 + column] == 0)
            {
                var dc = (block[column] * quant[column]) << Pass1Bits;
                for (var row = 0; row < 8; row++)
                {
                    workspace[(row * 8) + column] = dc;
                }

                continue;
            }

            long d0 = block[column] * quant[column], d1 = block[8 + column] * quant[8 + column];
            long d2 = block[16 + column] * quant[16 + column], d3 = block[24 + column] * quant[24 + column];
            long d4 = block[32 + column] * quant[32 + column], d5 = block[40 + column] * quant[40 + column];
            long d6 = block[48 + column] * quant[48 + column], d7 = block[56 + column] * quant[56 + column];

            // Even part.
            long z2 = d2, z3 = d6;
            var z1 = (z2 + z3) * Fix0541196100;
            var tmp2 = z1 + (z3 * -Fix1847759065);
            var tmp3 = z1 + (z2 * Fix0765366865);
            z2 = d0;
            z3 = d4;
            var tmp0 = (z2 + z3) << ConstBits;
            var tmp1 = (z2 - z3) << ConstBits;
            long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            // Odd part.
            OddPart(d7, d5, d3, d1, out tmp0, out tmp1, out tmp2, out tmp3);

            const int shift = ConstBits - Pass1Bits;
            const long round = 1L << (shift - 1);
            workspace[column] = (int)((tmp10 + tmp3 + round) >> shift);
            workspace[56 + column] = (int)((tmp10 - tmp3 + round) >> shift);
            workspace[8 + column] = (int)((tmp11 + tmp2 + round) >> shift);
            workspace[48 + column] = (int)((tmp11 - tmp2 + round) >> shift);
            workspace[16 + column] = (int)((tmp12 + tmp1 + round) >> shift);
            workspace[40 + column] = (int)((tmp12 - tmp1 + round) >> shift);
            workspace[24 + column] = (int)((tmp13 + tmp0 + round) >> shift);
            workspace[32 + column] = (int)((tmp13 - tmp0 + round) >> shift);
        }

        var limit = IdctRangeLimit;
        for (var row = 0; row < 8; row++)
        {
            var w = workspace.Slice(row * 8, 8);
            var o = output.Slice(row * stride, 8);
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                o.Fill(limit[(int)(((long)w[0] + (1 << (Pass1Bits + 2))) >> (Pass1Bits + 3)) & 1023]);
                continue;
            }

            // Even part.
            long z2 = w[2], z3 = w[6];
            var z1 = (z2 + z3) * Fix0541196100;
            var tmp2 = z1 + (z3 * -Fix1847759065);
            var tmp3 = z1 + (z2 * Fix0765366865);
            var tmp0 = ((long)w[0] + w[4]) << ConstBits;
            var tmp1 = ((long)w[0] - w[4]) << ConstBits;
            long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            // Odd part.
            OddPart(w[7], w[5], w[3], w[1], out tmp0, out tmp1, out tmp2, out tmp3);

            const int shift = ConstBits + Pass1Bits + 3;
            const long round = 1L << (shift - 1);
            o[0] = limit[(int)((tmp10 + tmp3 + round) >> shift) & 1023];
            o[7] = limit[(int)((tmp10 - tmp3 + round) >> shift) & 1023];
            o[1] = limit[(int)((tmp11 + tmp2 + round) >> shift) & 1023];
            o[6] = limit[(int)((tmp11 - tmp2 + round) >> shift) & 1023];
            o[2] = limit[(int)((tmp12 + tmp1 + round) >> shift) & 1023];
            o[5] = limit[(int)((tmp12 - tmp1 + round) >> shift) & 1023];
            o[3] = limit[(int)((tmp13 + tmp0 + round) >> shift) & 1023];
            o[4] = limit[(int)((tmp13 - tmp0 + round) >> shift) & 1023];
        }

        // The odd half of the 1-D transform from inputs 7, 5, 3, 1 (figure 8 of the LL&M paper as libjpeg uses it).
        static void OddPart(long i7, long i5, long i3, long i1, out long o7, out long o5, out long o3, out long o1)
        {
            var z1 = i7 + i1;
            var z2 = i5 + i3;
            var z3 = i7 + i3;
            var z4 = i5 + i1;
            var z5 = (z3 + z4) * Fix1175875602;
            var t7 = i7 * Fix0298631336;
            var t5 = i5 * Fix2053119869;
            var t3 = i3 * Fix3072711026;
            var t1 = i1 * Fix1501321110;
            z1 *= -Fix0899976223;
            z2 *= -Fix2562915447;
            z3 = (z3 * -Fix1961570560) + z5;
            z4 = (z4 * -Fix0390180644) + z5;
            o7 = t7 + z1 + z3;
            o5 = t5 + z2 + z4;
            o3 = t3 + z2 + z3;
            o1 = t1 + z1 + z4;
        }
    }

    /// <summary>
    /// The component at full resolution, as libjpeg's upsampler (jdsample.c, do_fancy_upsampling on) makes it:
    /// full-size components as they are; half-width (h2v1), half-height (h1v2) and half-both (h2v2) components by the
    /// triangular filter (each output 3/4 of the nearer and 1/4 of the farther input in each halved direction, with
    /// libjpeg's alternating rounding biases, edge samples replicated); h2v1 and h2v2 of a component 2 or fewer samples
    /// wide, and every other integral ratio, by replication.
    /// </summary>
    private byte[] Upsample(Component component, byte[] plane)
    {
        var stride = component.BlocksPerLine * 8;
        int width = _width, height = _height;
        int inWidth = component.Width, inHeight = component.Height;
        var output = new byte[width * height];
        var halfWidth = component.H * 2 == _maxH;
        var halfHeight = component.V * 2 == _maxV;
        var fullWidth = component.H == _maxH;
        var fullHeight = component.V == _maxV;
        if (fullWidth && fullHeight)
        {
            for (var y = 0; y < height; y++)
            {
                plane.AsSpan(y * stride, width).CopyTo(output.AsSpan(y * width));
            }
        }
        else if (halfWidth && fullHeight && inWidth > 2)
        {
            for (var y = 0; y < height; y++)
            {
                var input = plane.AsSpan(y * stride, inWidth);
                var row = output.AsSpan(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    var i = x >> 1;
                    row[x] = (x & 1) == 0
                        ? (i == 0 ? input[0] : (byte)(((3 * input[i]) + input[i - 1] + 1) >> 2))
                        : (i == inWidth - 1 ? input[i] : (byte)(((3 * input[i]) + input[i + 1] + 2) >> 2));
                }
            }
        }
        else if (fullWidth && halfHeight)
        {
            for (var y = 0; y < height; y++)
            {
                var i = y >> 1;
                var near = plane.AsSpan(i * stride, width);
                var far = plane.AsSpan(Math.Clamp((y & 1) == 0 ? i - 1 : i + 1, 0, inHeight - 1) * stride, width);
                var bias = (y & 1) == 0 ? 1 : 2;
                var row = output.AsSpan(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    row[x] = (byte)(((3 * near[x]) + far[x] + bias) >> 2);
                }
            }
        }
        else if (halfWidth && halfHeight && inWidth > 2)
        {
            var sums = new int[inWidth];
            for (var y = 0; y < height; y++)
            {
                var i = y >> 1;
                var near = plane.AsSpan(i * stride, inWidth);
                var far = plane.AsSpan(Math.Clamp((y & 1) == 0 ? i - 1 : i + 1, 0, inHeight - 1) * stride, inWidth);
                for (var x = 0; x < inWidth; x++)
                {
                    sums[x] = (3 * near[x]) + far[x];
                }

                var row = output.AsSpan(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    var j = x >> 1;
                    row[x] = (x & 1) == 0
                        ? (byte)(j == 0 ? ((sums[0] * 4) + 8) >> 4 : ((3 * sums[j]) + sums[j - 1] + 8) >> 4)
                        : (byte)(j == inWidth - 1 ? ((sums[j] * 4) + 7) >> 4 : ((3 * sums[j]) + sums[j + 1] + 7) >> 4);
                }
            }
        }
        else if (_maxH % component.H == 0 && _maxV % component.V == 0)
        {
            var expandX = _maxH / component.H;
            var expandY = _maxV / component.V;
            for (var y = 0; y < height; y++)
            {
                var input = plane.AsSpan(y / expandY * stride, stride);
                var row = output.AsSpan(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    row[x] = input[x / expandX];
                }
            }
        }
        else
        {
            throw Fail(MediaDecodeFailure.UnsupportedFormat, $"JPEG component {component.Id} has sampling factors {component.H}x{component.V} of {_maxH}x{_maxV}, a fractional ratio libjpeg does not decode either");
        }

        return output;
    }

    private DicomFormatException Fail(MediaDecodeFailure failure, string reason) => new(_source, failure, Prefix + ": " + reason);

    private static byte[] BuildIdctRangeLimit()
    {
        var table = new byte[1024];
        for (var i = 0; i < 1024; i++)
        {
            // Index i is the descaled value v masked to 10 bits; v in -512..511 is centred at 128 and clamped.
            var v = i < 512 ? i : i - 1024;
            table[i] = (byte)Math.Clamp(v + 128, 0, 255);
        }

        return table;
    }

    private static int[] BuildColourTable(double factor, bool rounded, bool addHalf = false)
    {
        const int ScaleBits = 16;
        const long OneHalf = 1L << (ScaleBits - 1);
        var fixedFactor = (long)((Math.Abs(factor) * (1L << ScaleBits)) + 0.5) * Math.Sign(factor);
        var table = new int[256];
        for (var i = 0; i < 256; i++)
        {
            long x = i - 128;
            table[i] = rounded ? (int)(((fixedFactor * x) + OneHalf) >> ScaleBits) : (int)((fixedFactor * x) + (addHalf ? OneHalf : 0));
        }

        return table;
    }

    /// <summary>One frame component: its sampling, tables, coefficients and state during a scan.</summary>
    private sealed class Component(int id, int h, int v, int quantTable)
    {
        public int Id { get; } = id;

        public int H { get; } = h;

        public int V { get; } = v;

        public int QuantTable { get; } = quantTable;

        /// <summary>Blocks per line and per column allocated: whole MCUs, as interleaved scans fill them.</summary>
        public int BlocksPerLine { get; set; }

        public int BlocksPerColumn { get; set; }

        /// <summary>The component's own size in samples (libjpeg's downsampled_width/height).</summary>
        public int Width { get; set; }

        public int Height { get; set; }

        public short[] Coefficients { get; set; } = [];

        public short[]? Quant { get; set; }

        public JpegHuffmanTable? Dc { get; set; }

        public JpegHuffmanTable? Ac { get; set; }

        public int Predictor { get; set; }

        public bool Decoded { get; set; }
    }
}
