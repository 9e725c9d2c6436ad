using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>Reads the entropy-coded bits of a JPEG scan MSB first, removing stuffed zero bytes; at a marker (or the
/// end of the data) it feeds zeros, as T.81 decoders do, and <see cref="EndPosition"/> tells a scan that ran out of
/// data from one that ended at its marker. Shared by the lossless and the baseline decoders.</summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _source;
    private readonly string _prefix;
    private int _position;
    private ulong _buffer;
    private int _count;
    private int _zerosFed;

    /// <summary>Starts reading at <paramref name="position"/>, the first byte after the SOS header.</summary>
    public JpegBitReader(ReadOnlySpan<byte> data, int position, string source, string prefix)
    {
        _data = data;
        _position = position;
        _source = source;
        _prefix = prefix;
        _buffer = 0;
        _count = 0;
        _zerosFed = 0;
    }

    /// <summary>The next <paramref name="n"/> bits (1..16), not consumed.</summary>
    public int PeekBits(int n)
    {
        if (_count < n)
        {
            Fill(n);
        }

        return (int)(_buffer >> (_count - n)) & ((1 << n) - 1);
    }

    /// <summary>Consumes <paramref name="n"/> bits already peeked.</summary>
    public void Skip(int n) => _count -= n;

    /// <summary>Reads <paramref name="n"/> bits (0..16).</summary>
    public int ReadBits(int n)
    {
        if (n == 0)
        {
            return 0;
        }

        var value = PeekBits(n);
        _count -= n;
        return value;
    }

    /// <summary>Drops the bits left before a restart marker and steps over the marker.</summary>
    public void Restart()
    {
        _count = 0;
        _buffer = 0;
        while (_position + 1 < _data.Length && !(_data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7))
        {
            _position++;
        }

        if (_position + 1 >= _data.Length)
        {
            throw new DicomFormatException(_source, MediaDecodeFailure.Truncated, $"{_prefix}: a restart marker is missing");
        }

        _position += 2;
    }

    /// <summary>The position after the scan's data (the next marker).</summary>
    /// <exception cref="DicomFormatException">The data ended before the scan was complete.</exception>
    public readonly int EndPosition()
    {
        // More than a few bytes of zeros fed means the data ran out before the image was complete.
        if (_zerosFed > 4 && _position >= _data.Length)
        {
            throw new DicomFormatException(_source, MediaDecodeFailure.Truncated, $"{_prefix}: the scan data ends before the image is complete");
        }

        return _position;
    }

    private void Fill(int n)
    {
        // Whole data bytes while the buffer has room, up to the next 0xFF (a stuffed byte or a marker, taken below
        // one at a time): most calls cost one check per byte instead of one per needed bit group.
        while (_count <= 56 && _position < _data.Length && _data[_position] != 0xFF)
        {
            _buffer = (_buffer << 8) | _data[_position++];
            _count += 8;
        }

        while (_count < n)
        {
            byte next = 0;
            if (_position < _data.Length)
            {
                var b = _data[_position];
                if (b == 0xFF)
                {
                    var following = _position + 1 < _data.Length ? _data[_position + 1] : (byte)0xD9;
                    if (following == 0x00)
                    {
                        next = 0xFF;
                        _position += 2;
                    }
                    else
                    {
                        _zerosFed++; // a marker: the scan's data has ended
                    }
                }
                else
                {
                    next = b;
                    _position++;
                }
            }
            else
            {
                _zerosFed++;
            }

            _buffer = (_buffer << 8) | next;
            _count += 8;
        }
    }
}
