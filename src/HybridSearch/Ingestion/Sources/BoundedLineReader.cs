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
    private readonly Stream stream;
    private readonly int maxLineLength;
    private readonly int maxLineBytes;
    private readonly byte[] buffer = new byte[65536];
    private readonly ArrayBufferWriter<byte> line = new();
    private int bufferLength;
    private int bufferPosition;
    private long bufferStart;
    private bool started;

    /// <param name="stream">The input, read from its current position.</param>
    /// <param name="maxLineLength">Longest line in characters (UTF-16 code units).</param>
    public BoundedLineReader(Stream stream, int maxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        this.stream = stream;
        this.maxLineLength = maxLineLength;

        // A UTF-16 code unit takes at most 3 UTF-8 bytes, so a line within the limit is within 3 × limit bytes
        // (+1 for a trailing '\r').
        maxLineBytes = (int)Math.Min(int.MaxValue - 1, (3L * maxLineLength) + 1);
    }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line (without its terminator). Returns null at end of input.</summary>
    public BoundedLine? ReadLine()
    {
        line.Clear();
        long bytes = 0;
        long lineStart = -1;
        var sawAny = false;
        while (true)
        {
            if (bufferPosition == bufferLength && !Fill())
            {
                if (!sawAny)
                {
                    return null;
                }

                break;
            }

            if (lineStart < 0)
            {
                lineStart = bufferStart + bufferPosition;
            }

            sawAny = true;
            var span = buffer.AsSpan(bufferPosition, bufferLength - bufferPosition);
            var newline = span.IndexOf((byte)'\n');
            var chunk = newline >= 0 ? span[..newline] : span;
            if (bytes + chunk.Length <= maxLineBytes)
            {
                line.Write(chunk);
            }

            bytes += chunk.Length;
            bufferPosition += chunk.Length;
            if (newline >= 0)
            {
                bufferPosition++;
                break;
            }
        }

        LineNumber++;
        if (bytes > maxLineBytes)
        {
            return new BoundedLine(null, $"line is {bytes} bytes long, over the limit of {maxLineLength} characters");
        }

        var content = line.WrittenSpan;
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

        return written > maxLineLength
            ? new BoundedLine(null, $"line is {written} characters long, over the limit of {maxLineLength}")
            : new BoundedLine(new string(chars, 0, written), null);
    }

    private bool Fill()
    {
        bufferStart += bufferLength;
        bufferLength = stream.Read(buffer, 0, buffer.Length);
        bufferPosition = 0;
        if (!started)
        {
            started = true;
            if (bufferLength >= 3 && buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                bufferPosition = 3;
            }
        }

        return bufferLength > bufferPosition;
    }
}

/// <summary>One line of a <see cref="BoundedLineReader"/>: its text, or why it cannot be used.</summary>
/// <param name="Text">The decoded line, or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line was refused (too long, not UTF-8), naming the limit or the byte offset.</param>
internal sealed record BoundedLine(string? Text, string? Error);
