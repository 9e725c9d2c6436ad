namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Tries transcribers in order (typically sidecar, then a recogniser) and returns the first transcript. When none
/// produces one, the result is <see cref="TranscriptionResult.NoTranscript"/> with every transcriber's reason as a
/// warning: a clip without a transcript is still indexed, just without transcript segments.
/// </summary>
/// <example><code>
/// using var sphinx = new PocketSphinxTranscriber();
/// var chain = new TranscriberChain([new SidecarTranscriber(), sphinx]);
/// var result = await chain.TranscribeAsync(new TranscriptionRequest(record.Audio[0], new AudioClipDecoder()));
/// </code></example>
public sealed class TranscriberChain : ITranscriber
{
    private readonly ITranscriber[] _transcribers;

    /// <summary>Creates a chain.</summary>
    /// <param name="transcribers">Tried in this order.</param>
    public TranscriberChain(IEnumerable<ITranscriber> transcribers)
    {
        ArgumentNullException.ThrowIfNull(transcribers);
        _transcribers = transcribers.ToArray();
        if (_transcribers.Any(transcriber => transcriber is null))
        {
            throw new ArgumentException("A transcriber is null.", nameof(transcribers));
        }
    }

    /// <inheritdoc />
    public string Name => "chain";

    /// <summary>The transcribers, in the order they are tried.</summary>
    public IReadOnlyList<ITranscriber> Transcribers => _transcribers;

    /// <inheritdoc />
    public async Task<TranscriptionResult> TranscribeAsync(TranscriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var warnings = new List<string>();
        foreach (var transcriber in _transcribers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await transcriber.TranscribeAsync(request, cancellationToken).ConfigureAwait(false);
            warnings.AddRange(result.Warnings);
            if (result.HasTranscript)
            {
                return TranscriptionResult.Transcribed(result.TranscriberName!, result.Segments, warnings);
            }
        }

        warnings.Add($"no transcript for '{request.Audio.Path}'");
        return TranscriptionResult.NoTranscript(warnings);
    }
}
