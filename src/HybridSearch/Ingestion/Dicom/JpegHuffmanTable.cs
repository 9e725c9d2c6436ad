using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>A canonical Huffman table of a JPEG stream (ITU-T T.81 annex C), shared by the lossless and the
/// baseline decoders: a 9-bit lookup for the short codes that make up nearly all of the data and, for longer codes,
/// the max-code walk of annex F.2.2.3.</summary>
internal sealed class JpegHuffmanTable
{
    private const int LookupBits = 9;
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;
    private readonly short[] _lookup = new short[1 << LookupBits]; // (length << 8) | value, 0 = not in table
    private readonly string _source;
    private readonly string _prefix;

    /// <summary>Builds the table from a DHT segment's 16 code-length counts and its values.</summary>
    /// <param name="counts">BITS: how many codes have each length 1..16.</param>
    /// <param name="values">HUFFVAL, in code order.</param>
    /// <param name="source">The file, named in errors.</param>
    /// <param name="prefix">What is being decoded ("JPEG Lossless", "JPEG"), named in errors.</param>
    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, string source, string prefix)
    {
        _values = values.ToArray();
        _source = source;
        _prefix = prefix;
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            _valueOffset[length] = k - code;
            for (var i = 0; i < counts[length - 1]; i++)
            {
                if (code >= 1 << length || k >= _values.Length)
                {
                    throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"{prefix}: a Huffman table has more codes than its lengths allow");
                }

                if (length <= LookupBits)
                {
                    var shift = LookupBits - length;
                    for (var fill = 0; fill < 1 << shift; fill++)
                    {
                        _lookup[(code << shift) | fill] = (short)((length << 8) | _values[k]);
                    }
                }

                code++;
                k++;
            }

            _maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
            code <<= 1;
        }

        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Reads one code and returns its value.</summary>
    /// <exception cref="DicomFormatException">The bits are no code of this table.</exception>
    public int Decode(ref JpegBitReader bits)
    {
        var peek = bits.PeekBits(LookupBits);
        var entry = _lookup[peek];
        if (entry != 0)
        {
            bits.Skip(entry >> 8);
            return entry & 0xFF;
        }

        var code = 0;
        for (var length = 1; length <= 16; length++)
        {
            code = (code << 1) | bits.ReadBits(1);
            if (_maxCode[length] >= 0 && code <= _maxCode[length])
            {
                return _values[_valueOffset[length] + code];
            }
        }

        throw new DicomFormatException(_source, MediaDecodeFailure.Corrupt, $"{_prefix}: a Huffman code is not in its table");
    }
}
