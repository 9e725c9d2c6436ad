namespace HybridSearch.Ingestion.Transcription;

/// <summary>A whisper.cpp model file (ggml <c>.bin</c>) that is missing, unreadable or not a usable model, with the
/// path and the reason. Thrown when a <see cref="WhisperTranscriber"/> is created (the file's structure is checked
/// then) or on its first transcription (when whisper.cpp itself rejects the file).</summary>
public sealed class WhisperModelException : IngestionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="reason">What is wrong, naming the bad value.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public WhisperModelException(string modelPath, string reason, Exception? innerException = null)
        : base(modelPath, null, reason, innerException)
    {
    }
}
