using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>Walks the marker segments of a JPEG stream (T.81 B.1): checks SOI, skips fill bytes and the stand-alone
/// markers (RSTn, TEM), and checks every segment's length against the bytes present before slicing it. Shared by the
/// lossless and the baseline decoders, which act on the segments; a scan's entropy-coded data is theirs to read, after
/// which they move <see cref="Position"/> past it.</summary>
internal ref struct JpegSegmentReader
{
    /// <summary>The EOI marker: <see cref="TryNext"/> returns it with an empty segment.</summary>
    public const byte EndOfImage = 0xD9;

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _source;
    private readonly string _prefix;

    /// <summary>Starts after SOI; throws when the stream does not start with it.</summary>
    public JpegSegmentReader(ReadOnlySpan<byte> data, string source, string prefix)
    {
        _data = data;
        _source = source;
        _prefix = prefix;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw Fail(MediaDecodeFailure.Corrupt, "the JPEG stream does not start with SOI");
        }

        Position = 2;
    }

    /// <summary>The offset of the next byte to read: after the last segment returned (a scan's data starts here).</summary>
    public int Position { get; set; }

    /// <summary>The next marker and its segment (without the length bytes); <see cref="EndOfImage"/> with an empty
    /// segment at EOI; false when the data ends before EOI (the caller decides whether that is an error).</summary>
    public bool TryNext(out byte marker, out ReadOnlySpan<byte> segment)
    {
        segment = default;
        while (true)
        {
            if (Position + 2 > _data.Length)
            {
                marker = 0;
                return false;
            }

            if (_data[Position] != 0xFF)
            {
                Position++; // tolerate fill bytes between segments
                continue;
            }

            marker = _data[Position + 1];
            Position += 2;
            if (marker == 0xFF)
            {
                Position--; // a run of 0xFF fill bytes before the marker
                continue;
            }

            if (marker == EndOfImage)
            {
                return true;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01 or 0x00)
            {
                continue; // stand-alone markers carry no length
            }

            if (Position + 2 > _data.Length)
            {
                throw Fail(MediaDecodeFailure.Truncated, $"JPEG marker FF{marker:X2} is cut off");
            }

            var length = (_data[Position] << 8) | _data[Position + 1];
            if (length < 2 || Position + length > _data.Length)
            {
                throw Fail(MediaDecodeFailure.Truncated, $"JPEG segment FF{marker:X2} declares {length} bytes past the end of the stream");
            }

            segment = _data.Slice(Position + 2, length - 2);
            Position += length;
            return true;
        }
    }

    private readonly DicomFormatException Fail(MediaDecodeFailure failure, string reason) => new(_source, failure, _prefix + ": " + reason);
}
