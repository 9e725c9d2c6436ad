using System.Globalization;
using HybridSearch.Cli.Querying;
using HybridSearch.Indexing;

namespace HybridSearch.Cli.Demo;

/// <summary>Runs showcase queries against a search session and checks their expectations (expected ids within the
/// top, exact result sets, segment times of spoken hits).</summary>
internal static class ShowcaseRunner
{
    /// <summary>How far a spoken hit's segment may be from the expected time (the transcript's cue times are exact;
    /// this only allows for millisecond rounding).</summary>
    public const double TimeToleranceSeconds = 0.05;

    /// <summary>The search request of a showcase query, asking for at least <paramref name="minimumTop"/> hits.</summary>
    public static SearchRequest ToRequest(ShowcaseQuery query, int minimumTop = 1) =>
        new(query.Text, query.Images, query.Filters, Math.Max(minimumTop, query.ExpectedExactly ? Math.Max(query.ExpectedWithinTop, 20) : query.ExpectedWithinTop), 0, Explain: false);

    /// <summary>Runs one query and checks it.</summary>
    public static async Task<ShowcaseOutcome> RunAsync(SearchSession session, ShowcaseQuery query, int minimumTop = 1, CancellationToken cancellationToken = default)
    {
        var results = await session.SearchAsync(ToRequest(query, minimumTop), cancellationToken).ConfigureAwait(false);
        var withinTop = results.Hits.Take(query.ExpectedWithinTop).Select(hit => hit.RecordId).ToHashSet(StringComparer.Ordinal);
        var missing = query.Expected.Where(id => !withinTop.Contains(id)).ToList();
        var unexpected = query.ExpectedExactly
            ? results.Hits.Select(hit => hit.RecordId).Where(id => !query.Expected.Contains(id, StringComparer.Ordinal)).ToList()
            : [];
        string? timeProblem = null;
        if (query.ExpectedTime is { } time)
        {
            var hit = results.Hits.FirstOrDefault(h => h.RecordId == time.Id);
            var media = hit?.BestMedia;
            if (hit is null)
            {
                timeProblem = $"no hit for '{time.Id}'";
            }
            else if (media is null || media.Kind != DocumentKind.Segment || media.StartMs is null || media.EndMs is null)
            {
                timeProblem = $"hit '{time.Id}' carries no audio segment";
            }
            else if (!media.Path.Replace('\\', '/').EndsWith(time.Audio, StringComparison.Ordinal)
                || Math.Abs(media.StartMs.Value / 1000.0 - time.StartSeconds) > TimeToleranceSeconds
                || Math.Abs(media.EndMs.Value / 1000.0 - time.EndSeconds) > TimeToleranceSeconds)
            {
                timeProblem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"expected {time.Audio} {time.StartSeconds:0.000}–{time.EndSeconds:0.000} s, got {media.Path} {media.StartMs.Value / 1000.0:0.000}–{media.EndMs.Value / 1000.0:0.000} s");
            }
        }

        return new ShowcaseOutcome(query, results, missing, unexpected, timeProblem);
    }
}
