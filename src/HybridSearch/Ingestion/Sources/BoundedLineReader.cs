using System.Buffers;
using System.Text.Unicode;

namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// Reads UTF-8 lines from a stream without ever buffering more than a bounded number of bytes per line (an oversized
/// line is consumed to its end and reported as such, so a hostile manifest cannot exhaust memory), and decodes each
/// line strictly: a byte sequence that is not UTF-8 is reported with its offset instead of becoming U+FFFD.
/// A UTF-8 byte order mark at the start is skipped.
/// </summary>
internal sealed class BoundedLineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineLength;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = new byte[65536];
    private readonly ArrayBufferWriter<byte> _line = new();
    private int _bufferLength;
    private int _bufferPosition;
    private long _bufferStart;
    private bool _started;

    /// <param name="stream">The input, read from its current position.</param>
    /// <param name="maxLineLength">Longest line in characters (UTF-16 code units).</param>
    public BoundedLineReader(Stream stream, int maxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        _stream = stream;
        _maxLineLength = maxLineLength;

        // A UTF-16 code unit takes at most 3 UTF-8 bytes, so a line within the limit is within 3 × limit bytes
        // (+1 for a trailing '\r').
        _maxLineBytes = (int)Math.Min(int.MaxValue - 1, (3L * maxLineLength) + 1);
    }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line (without its terminator). Returns null at end of input.</summary>
    public BoundedLine? ReadLine()
    {
        _line.Clear();
        long bytes = 0;
        long lineStart = -1;
        var sawAny = false;
        while (true)
        {
            if (_bufferPosition == _bufferLength && !Fill())
            {
                if (!sawAny)
                {
                    return null;
                }

                break;
            }

            if (lineStart < 0)
            {
                lineStart = _bufferStart + _bufferPosition;
            }

            sawAny = true;
            var span = _buffer.AsSpan(_bufferPosition, _bufferLength - _bufferPosition);
            var newline = span.IndexOf((byte)'\n');
            var chunk = newline >= 0 ? span[..newline] : span;
            if (bytes + chunk.Length <= _maxLineBytes)
            {
                _line.Write(chunk);
            }

            bytes += chunk.Length;
            _bufferPosition += chunk.Length;
            if (newline >= 0)
            {
                _bufferPosition++;
                break;
            }
        }

        LineNumber++;
        if (bytes > _maxLineBytes)
        {
            return new BoundedLine(null, $"line is {bytes} bytes long, over the limit of {_maxLineLength} characters");
        }

        var content = _line.WrittenSpan;
        if (content.Length > 0 && content[^1] == (byte)'\r')
        {
            content = content[..^1];
        }

        var chars = new char[content.Length];
        var status = Utf8.ToUtf16(content, chars, out var consumed, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            return new BoundedLine(null, $"invalid UTF-8 at byte {lineStart + consumed} of the file (byte {consumed} of the line)");
        }

        return written > _maxLineLength
            ? new BoundedLine(null, $"line is {written} characters long, over the limit of {_maxLineLength}")
            : new BoundedLine(new string(chars, 0, written), null);
    }

    private bool Fill()
    {
        _bufferStart += _bufferLength;
        _bufferLength = _stream.Read(_buffer, 0, _buffer.Length);
        _bufferPosition = 0;
        if (!_started)
        {
            _started = true;
            if (_bufferLength >= 3 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                _bufferPosition = 3;
            }
        }

        return _bufferLength > _bufferPosition;
    }
}

/// <summary>One line of a <see cref="BoundedLineReader"/>: its text, or why it cannot be used.</summary>
/// <param name="Text">The decoded line, or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line was refused (too long, not UTF-8), naming the limit or the byte offset.</param>
internal sealed record BoundedLine(string? Text, string? Error);
