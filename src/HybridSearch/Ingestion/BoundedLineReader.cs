using System.Text;

namespace HybridSearch.Ingestion;

/// <summary>
/// Reads lines from a text reader without ever buffering more than a bounded number of characters per line: an
/// oversized line is consumed to its end and reported as such, so a hostile manifest cannot exhaust memory.
/// </summary>
internal sealed class BoundedLineReader
{
    private readonly TextReader reader;
    private readonly int maxLineLength;
    private readonly char[] buffer = new char[8192];
    private readonly StringBuilder line = new();
    private int bufferLength;
    private int bufferPosition;

    public BoundedLineReader(TextReader reader, int maxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        this.reader = reader;
        this.maxLineLength = maxLineLength;
    }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line (without its terminator). Returns false at end of input. When the line is
    /// longer than the limit, <paramref name="text"/> is null and <paramref name="length"/> its full length.</summary>
    public bool TryReadLine(out string? text, out long length)
    {
        line.Clear();
        length = 0;
        var sawAny = false;
        while (true)
        {
            if (bufferPosition == bufferLength)
            {
                bufferLength = reader.Read(buffer, 0, buffer.Length);
                bufferPosition = 0;
                if (bufferLength == 0)
                {
                    if (!sawAny)
                    {
                        text = null;
                        return false;
                    }

                    break;
                }
            }

            sawAny = true;
            var span = buffer.AsSpan(bufferPosition, bufferLength - bufferPosition);
            var newline = span.IndexOf('\n');
            var chunk = newline >= 0 ? span[..newline] : span;
            length += chunk.Length;
            if (length <= maxLineLength + 1)
            {
                // One extra character is kept so that a trailing '\r' can still be trimmed at the limit.
                line.Append(chunk);
            }

            bufferPosition += chunk.Length;
            if (newline >= 0)
            {
                bufferPosition++;
                break;
            }
        }

        LineNumber++;
        if (length <= maxLineLength + 1 && line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
            length--;
        }

        text = length > maxLineLength ? null : line.ToString();
        return true;
    }
}
