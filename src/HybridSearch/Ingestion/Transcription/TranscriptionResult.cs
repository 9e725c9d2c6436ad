namespace HybridSearch.Ingestion.Transcription;

/// <summary>The outcome of transcribing a clip: timed segments from a named transcriber, or no transcript with
/// warnings that say why (no sidecar, recogniser not installed, ...). Not having a transcript is not an error.</summary>
public sealed class TranscriptionResult
{
    private TranscriptionResult(string? transcriberName, IReadOnlyList<TranscriptSegment> segments, IReadOnlyList<string> warnings)
    {
        TranscriberName = transcriberName;
        Segments = segments;
        Warnings = warnings;
    }

    /// <summary>Which transcriber produced the segments, or null when there is no transcript.</summary>
    public string? TranscriberName { get; }

    /// <summary>True when a transcriber produced a transcript (which may have no segments for a silent clip).</summary>
    public bool HasTranscript => TranscriberName is not null;

    /// <summary>The segments in time order; empty without a transcript.</summary>
    public IReadOnlyList<TranscriptSegment> Segments { get; }

    /// <summary>Why transcribers were skipped, or other non-fatal notes.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A transcript.</summary>
    /// <param name="transcriberName">The producing transcriber.</param>
    /// <param name="segments">The segments; copied.</param>
    /// <param name="warnings">Optional notes; copied.</param>
    public static TranscriptionResult Transcribed(string transcriberName, IEnumerable<TranscriptSegment> segments, IEnumerable<string>? warnings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transcriberName);
        ArgumentNullException.ThrowIfNull(segments);
        return new TranscriptionResult(transcriberName, segments.ToArray(), warnings?.ToArray() ?? []);
    }

    /// <summary>No transcript, with the reasons.</summary>
    /// <param name="warnings">Why; copied.</param>
    public static TranscriptionResult NoTranscript(IEnumerable<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        return new TranscriptionResult(null, [], warnings.ToArray());
    }
}
