using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Base of the transcribers backed by a native recogniser that is not thread-safe (pocketsphinx, whisper.cpp): when
/// the recogniser cannot run here it answers "no transcript" with the reason instead of failing; otherwise it decodes
/// the clip and runs recognition one call at a time on its single native instance, which
/// <see cref="Dispose"/> frees once a running call has finished.
/// </summary>
public abstract class SerializedNativeTranscriber : ITranscriber, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>True when the native recogniser (library and model) can run here.</summary>
    public bool IsAvailable => UnavailableReason is null;

    /// <summary>Why the recogniser cannot run here, or null when it can.</summary>
    public string? UnavailableReason { get; protected init; }

    /// <inheritdoc />
    /// <exception cref="MediaDecodeException">The clip cannot be decoded.</exception>
    /// <exception cref="IngestionException">The recogniser failed on this clip.</exception>
    public async Task<TranscriptionResult> TranscribeAsync(TranscriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsAvailable)
        {
            return TranscriptionResult.NoTranscript([$"{Name}: not available: {UnavailableReason}"]);
        }

        var audio = await request.GetDecodedAudioAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await TranscribeExclusiveAsync(audio, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Recognises one decoded clip; never called concurrently, and not after disposal.</summary>
    protected abstract Task<TranscriptionResult> TranscribeExclusiveAsync(DecodedAudio audio, CancellationToken cancellationToken);

    /// <summary>Frees the native recogniser; called once, never during a transcription.</summary>
    protected abstract void ReleaseNative();

    /// <summary>Frees the native recogniser. Waits for a running transcription to finish.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _gate.Wait();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                ReleaseNative();
            }
        }
        finally
        {
            _gate.Release();
        }

        GC.SuppressFinalize(this);
    }
}
