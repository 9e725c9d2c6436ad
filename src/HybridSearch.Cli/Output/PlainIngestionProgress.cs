using System.Globalization;
using HybridSearch.Ingestion.Pipeline;

namespace HybridSearch.Cli.Output;

/// <summary>Progress as plain lines (for redirected output and logs): at most one line a second, plus the last one,
/// each with done/total, failures, rate and estimated time left.</summary>
/// <param name="writer">Where the lines go (standard error, so standard output stays the summary).</param>
/// <param name="time">The clock of the one-line-a-second throttle and the rate; <see cref="TimeProvider.System"/> when
/// null (tests pass a fake one so they need not sleep through the throttle).</param>
internal sealed class PlainIngestionProgress(TextWriter writer, TimeProvider? time = null) : IProgress<IngestionProgress>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly long _started = (time ?? TimeProvider.System).GetTimestamp();
    private TimeSpan? _lastLine;
    private int _lastProcessed = -1;

    /// <inheritdoc />
    public void Report(IngestionProgress value)
    {
        var processed = value.Done + value.Failed;
        var finished = value.Total is { } total && processed >= total;
        var now = _time.GetElapsedTime(_started);

        // Within a long record the counts stay put while its text chunks are embedded: those lines show the chunks.
        var moved = processed != _lastProcessed || value.Chunks is not null;
        if (!moved || (!finished && _lastLine is { } last && now - last < TimeSpan.FromSeconds(1)))
        {
            return;
        }

        _lastLine = now;
        _lastProcessed = processed;
        writer.WriteLine(Format(value, now));
    }

    /// <summary>One progress line, e.g. <c>indexed 120/500 (2 failed) 35.1 rec/s, ETA 00:00:11</c>, with
    /// <c>; embedding 'id': text chunk 320/758</c> added while a long record's text is embedded.</summary>
    internal static string Format(IngestionProgress value, TimeSpan elapsed)
    {
        var processed = value.Done + value.Failed;
        var rate = elapsed.TotalSeconds > 0 ? processed / elapsed.TotalSeconds : 0;
        var total = value.Total is { } t ? t.ToString(CultureInfo.InvariantCulture) : "?";
        var eta = value.Total is { } known && rate > 0
            ? TimeSpan.FromSeconds(Math.Ceiling((known - processed) / rate)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)
            : "--:--:--";
        var line = string.Create(CultureInfo.InvariantCulture, $"indexed {processed}/{total} ({value.Failed} failed) {rate:0.0} rec/s, ETA {eta}");
        return value.Chunks is { } chunks
            ? string.Create(CultureInfo.InvariantCulture, $"{line}; embedding '{value.CurrentItem}': text chunk {chunks.Embedded}/{chunks.Total}")
            : line;
    }
}
