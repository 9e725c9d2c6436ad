namespace HybridSearch.Ingestion.Transcription;

/// <summary>Produces timed transcript segments for an audio clip. Implementations are thread-safe.</summary>
public interface ITranscriber
{
    /// <summary>Short stable name (e.g. <c>sidecar</c>, <c>pocketsphinx</c>), recorded with the transcript.</summary>
    string Name { get; }

    /// <summary>Transcribes a clip. Returns <see cref="TranscriptionResult.NoTranscript"/> with a reason when this
    /// transcriber does not apply (no sidecar, engine not installed); throws only for a real problem with the item.</summary>
    /// <param name="request">The clip.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="IngestionException">A malformed sidecar or undecodable audio.</exception>
    Task<TranscriptionResult> TranscribeAsync(TranscriptionRequest request, CancellationToken cancellationToken = default);
}
