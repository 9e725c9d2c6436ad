namespace HybridSearch.Ingestion.Transcription;

/// <summary>Timed-text formats read by <see cref="SubtitleParser"/>.</summary>
public enum SubtitleFormat
{
    /// <summary>SubRip (.srt): numbered cues, <c>hh:mm:ss,mmm --&gt; hh:mm:ss,mmm</c>.</summary>
    Srt,

    /// <summary>WebVTT (.vtt): <c>WEBVTT</c> header, <c>[hh:]mm:ss.mmm --&gt; [hh:]mm:ss.mmm [settings]</c>.</summary>
    WebVtt,
}
