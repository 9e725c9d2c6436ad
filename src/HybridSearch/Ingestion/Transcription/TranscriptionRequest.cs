using HybridSearch.Ingestion.Media;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// What a transcriber gets: the clip (with its sidecar path) and access to its decoded samples, decoded at most
/// once and only if a transcriber asks (a sidecar SRT needs no decoding). Thread-safe.
/// </summary>
public sealed class TranscriptionRequest
{
    private readonly AudioClipDecoder? _decoder;
    private readonly object _gate = new();
    private Task<DecodedAudio>? _decoding;

    /// <summary>Creates a request whose audio is decoded on demand.</summary>
    /// <param name="audio">The clip and its optional transcript sidecar.</param>
    /// <param name="decoder">Decoder used the first time samples are needed.</param>
    public TranscriptionRequest(RecordAudio audio, AudioClipDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(decoder);
        Audio = audio;
        _decoder = decoder;
    }

    /// <summary>Creates a request for audio already decoded.</summary>
    /// <param name="audio">The clip and its optional transcript sidecar.</param>
    /// <param name="decoded">Its samples.</param>
    public TranscriptionRequest(RecordAudio audio, DecodedAudio decoded)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(decoded);
        Audio = audio;
        _decoding = Task.FromResult(decoded);
    }

    /// <summary>The clip and its optional transcript sidecar.</summary>
    public RecordAudio Audio { get; }

    /// <summary>Decodes the clip to 16 kHz mono on a worker thread the first time it is asked, then returns the
    /// same result (or the same <see cref="MediaDecodeException"/>).</summary>
    /// <param name="cancellationToken">Cancels the first decode.</param>
    public Task<DecodedAudio> GetDecodedAudioAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_decoding is null || _decoding.IsCanceled)
            {
                var path = Audio.Path;
                var clipDecoder = _decoder!;
                _decoding = Task.Run(() => clipDecoder.Decode(path, cancellationToken), cancellationToken);
            }

            return _decoding;
        }
    }
}
