using System.Globalization;
using System.Net;
using System.Text;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using Spectre.Console;

namespace HybridSearch.Cli.Output;

/// <summary>Human-readable pieces of a hit (legs, media, snippet) shared by the search table and the demo.</summary>
internal static class HitFormatter
{
    /// <summary>One leg's line: <c>lexical #1 score 8.2104 → +0.016393</c>, or for a leg that abstained on the record
    /// (matched none of its words, credited its weakest match) <c>lexical abstained score 1.2040 → +0.003120</c>.</summary>
    public static string Leg(LegExplanation leg) => string.Create(
        CultureInfo.InvariantCulture,
        $"{LegNames.Of(leg.Leg)} {(leg.Abstained ? "abstained" : "#" + leg.Rank.ToString(CultureInfo.InvariantCulture))} score {leg.RawScore:0.0000} → +{leg.Contribution:0.000000}")
        // A weight other than 1 was set by the user or lowered by corroboration; either way it explains the contribution.
        + (leg.Weight == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (weight {leg.Weight:0.###})"));

    /// <summary>Where the hit's best media is: an image path, or an audio path with the segment's times.</summary>
    public static string Media(MatchedMedia? media)
    {
        if (media is null)
        {
            return string.Empty;
        }

        var path = DisplayPath(media.Path);
        return media.Kind == DocumentKind.Segment && media.StartMs is { } start && media.EndMs is { } end
            ? $"audio {path} {Time(start)}–{Time(end)}"
            : $"{media.Kind.ToString().ToLowerInvariant()} {path}";
    }

    /// <summary>A time in milliseconds as <c>m:ss.fff</c>.</summary>
    public static string Time(long milliseconds)
    {
        var time = TimeSpan.FromMilliseconds(milliseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}:{time.Seconds:00}.{time.Milliseconds:000}");
    }

    /// <summary>A path relative to the current directory when it lies below it (shorter to read), else as stored.</summary>
    public static string DisplayPath(string path)
    {
        var current = Directory.GetCurrentDirectory();
        var relative = Path.GetRelativePath(current, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    /// <summary>The snippet (HTML with <c>&lt;b&gt;</c> highlights) as Spectre markup with bold highlights.</summary>
    public static string SnippetMarkup(string? snippet)
    {
        if (string.IsNullOrEmpty(snippet))
        {
            return string.Empty;
        }

        var markup = new StringBuilder();
        var rest = snippet.AsSpan();
        while (!rest.IsEmpty)
        {
            var open = rest.IndexOf("<b>", StringComparison.Ordinal);
            if (open < 0)
            {
                markup.Append(Markup.Escape(WebUtility.HtmlDecode(rest.ToString())));
                break;
            }

            markup.Append(Markup.Escape(WebUtility.HtmlDecode(rest[..open].ToString())));
            rest = rest[(open + 3)..];
            var close = rest.IndexOf("</b>", StringComparison.Ordinal);
            var highlighted = close < 0 ? rest : rest[..close];
            markup.Append("[bold yellow]").Append(Markup.Escape(WebUtility.HtmlDecode(highlighted.ToString()))).Append("[/]");
            rest = close < 0 ? [] : rest[(close + 4)..];
        }

        return markup.ToString().ReplaceLineEndings(" ");
    }
}
