namespace HybridSearch.Ingestion.Transcription;

/// <summary>A transcript sidecar (SRT, WebVTT) that cannot be parsed, naming the file, the line and the reason.</summary>
public sealed class TranscriptFormatException : IngestionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourcePath">The sidecar file (or a description of the text source).</param>
    /// <param name="lineNumber">1-based line number.</param>
    /// <param name="reason">What is wrong.</param>
    public TranscriptFormatException(string sourcePath, int lineNumber, string reason)
        : base(sourcePath, lineNumber, reason)
    {
    }
}
