using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Parses SRT and WebVTT transcripts into <see cref="TranscriptSegment"/>s. Lenient where real files vary: a
/// byte-order mark, CRLF or LF, missing or wrong sequence numbers, cue identifiers, ',' or '.' before the
/// milliseconds, hours optional, cue settings, blank lines inside a cue's text. Styling (<c>&lt;i&gt;</c>,
/// <c>&lt;c.x&gt;</c>, <c>&lt;v Name&gt;</c>, inline timestamps, <c>{\an8}</c>) is removed and entities decoded.
/// Strict where it matters: a malformed timing line or an end before its start is a
/// <see cref="TranscriptFormatException"/> naming the line.
/// </summary>
public static partial class SubtitleParser
{
    /// <summary>Parses a sidecar file, choosing the format by extension (.vtt = WebVTT, otherwise SRT).</summary>
    /// <param name="path">The .srt or .vtt file.</param>
    /// <exception cref="TranscriptFormatException">A malformed cue.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<TranscriptSegment> ParseFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var format = Path.GetExtension(path).Equals(".vtt", StringComparison.OrdinalIgnoreCase) ? SubtitleFormat.WebVtt : SubtitleFormat.Srt;
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, format, path);
    }

    /// <summary>Parses timed text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="format">SRT or WebVTT.</param>
    /// <param name="sourceName">Name used in errors.</param>
    /// <returns>Segments ordered by start time (file order among equal starts); cues without text are dropped.</returns>
    /// <exception cref="TranscriptFormatException">A malformed cue.</exception>
    public static IReadOnlyList<TranscriptSegment> Parse(TextReader reader, SubtitleFormat format, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var cues = new List<(long Start, long End, StringBuilder Text)>();
        var lines = new List<string>();
        for (var read = reader.ReadLine(); read is not null; read = reader.ReadLine())
        {
            lines.Add(read);
        }

        var inSkippedBlock = false;
        var afterBlank = true;
        (long Start, long End, StringBuilder Text)? current = null;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            if (lineNumber == 1)
            {
                line = line.TrimStart('\uFEFF');
                if (format == SubtitleFormat.WebVtt)
                {
                    if (!line.StartsWith("WEBVTT", StringComparison.Ordinal))
                    {
                        throw new TranscriptFormatException(sourceName, lineNumber, "a WebVTT file must start with 'WEBVTT'");
                    }

                    inSkippedBlock = true; // the header block runs to the first blank line
                    continue;
                }
            }

            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                inSkippedBlock = false;
                afterBlank = true;
                continue;
            }

            if (inSkippedBlock)
            {
                continue;
            }

            if (afterBlank && format == SubtitleFormat.WebVtt
                && (trimmed.StartsWith("NOTE", StringComparison.Ordinal) || trimmed == "STYLE" || trimmed == "REGION"))
            {
                inSkippedBlock = true;
                continue;
            }

            if (trimmed.Contains("-->", StringComparison.Ordinal))
            {
                var (start, end) = ParseTiming(trimmed, sourceName, lineNumber);
                current = (start, end, new StringBuilder());
                cues.Add(current.Value);
                afterBlank = false;
                continue;
            }

            // An SRT sequence number or a WebVTT cue identifier: a line starting a block and followed by a timing line.
            if (afterBlank && index + 1 < lines.Count && lines[index + 1].Contains("-->", StringComparison.Ordinal))
            {
                continue;
            }

            if (current is null)
            {
                throw new TranscriptFormatException(sourceName, lineNumber, $"text before the first timing line: '{Shorten(trimmed)}'");
            }

            var text = current.Value.Text;
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(trimmed);
            afterBlank = false;
        }

        return cues
            .Select(cue => new TranscriptSegment(cue.Start, cue.End, CleanText(cue.Text.ToString())))
            .Where(segment => segment.Text.Length > 0)
            .OrderBy(segment => segment.StartMs)
            .ToList();
    }

    private const long MaxHours = 1_000_000;

    /// <summary>Parses one timestamp: <c>[h+:]mm:ss(,|.)f{1,3}</c> or <c>[h+:]mm:ss</c>.</summary>
    /// <param name="text">The timestamp.</param>
    /// <param name="milliseconds">The value in milliseconds.</param>
    public static bool TryParseTimestamp(string text, out long milliseconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        milliseconds = 0;
        var match = TimestampPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        // A hostile hour count (twenty digits) would overflow; no recording is a million hours long.
        long hours = 0;
        if (match.Groups["h"].Success && (!long.TryParse(match.Groups["h"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out hours) || hours > MaxHours))
        {
            return false;
        }

        var minutes = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        var seconds = int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture);
        var fraction = match.Groups["f"].Success ? match.Groups["f"].Value.PadRight(3, '0') : "000";
        if (minutes > 59 || seconds > 59)
        {
            return false;
        }

        milliseconds = (((hours * 60) + minutes) * 60 + seconds) * 1000 + int.Parse(fraction, CultureInfo.InvariantCulture);
        return true;
    }

    private static (long Start, long End) ParseTiming(string line, string sourceName, int lineNumber)
    {
        var arrow = line.IndexOf("-->", StringComparison.Ordinal);
        var left = line[..arrow].Trim();
        var right = line[(arrow + 3)..].Trim();
        var space = right.IndexOfAny([' ', '\t']);
        if (space >= 0)
        {
            right = right[..space]; // WebVTT cue settings follow the end time
        }

        if (!TryParseTimestamp(left, out var start))
        {
            throw new TranscriptFormatException(sourceName, lineNumber, $"malformed start time '{left}'");
        }

        if (!TryParseTimestamp(right, out var end))
        {
            throw new TranscriptFormatException(sourceName, lineNumber, $"malformed end time '{right}'");
        }

        if (end < start)
        {
            throw new TranscriptFormatException(sourceName, lineNumber, $"end time {right} is before start time {left}");
        }

        return (start, end);
    }

    private static string CleanText(string text)
    {
        text = TagPattern().Replace(text, string.Empty);
        text = AssStylePattern().Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        return WhitespacePattern().Replace(text, " ").Trim();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex(@"^(?:(?<h>\d+):)?(?<m>\d{1,2}):(?<s>\d{1,2})(?:[,.](?<f>\d{1,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\{\\[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex AssStylePattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
