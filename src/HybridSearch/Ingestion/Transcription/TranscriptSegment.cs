namespace HybridSearch.Ingestion.Transcription;

/// <summary>A timed piece of a transcript: [<paramref name="StartMs"/>, <paramref name="EndMs"/>) from the start
/// of the clip, and what was said.</summary>
/// <param name="StartMs">Start in milliseconds.</param>
/// <param name="EndMs">End in milliseconds (≥ start; 0 with start 0 when a plain-text transcript's clip length is unknown).</param>
/// <param name="Text">Plain text, styling removed.</param>
public sealed record TranscriptSegment(long StartMs, long EndMs, string Text);
