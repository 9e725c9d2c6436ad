using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Reads the transcript sidecar of a clip: SRT and WebVTT with their timings, or plain text as one segment from 0 to
/// the clip's duration (the clip is decoded to learn it; if that fails the segment ends at 0 and a warning says so).
/// </summary>
public sealed class SidecarTranscriber : ITranscriber
{
    /// <summary>Largest sidecar read, in bytes (16 MiB).</summary>
    public const long MaxSidecarBytes = 16L << 20;

    /// <inheritdoc />
    public string Name => "sidecar";

    /// <inheritdoc />
    /// <exception cref="TranscriptFormatException">A malformed SRT/VTT cue.</exception>
    /// <exception cref="IngestionException">The sidecar cannot be read or is too large.</exception>
    public async Task<TranscriptionResult> TranscribeAsync(TranscriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Audio.TranscriptPath;
        if (path is null)
        {
            return TranscriptionResult.NoTranscript([$"{Name}: no transcript sidecar for '{request.Audio.Path}'"]);
        }

        string content;
        try
        {
            content = BoundedFileReader.ReadAllText(path, MaxSidecarBytes);
        }
        catch (BoundedFileException exception)
        {
            throw new IngestionException(path, null, $"cannot read transcript sidecar: {exception.Message}", exception);
        }

        var extension = Path.GetExtension(path);
        if (extension.Equals(".srt", StringComparison.OrdinalIgnoreCase) || extension.Equals(".vtt", StringComparison.OrdinalIgnoreCase))
        {
            var format = extension.Equals(".vtt", StringComparison.OrdinalIgnoreCase) ? SubtitleFormat.WebVtt : SubtitleFormat.Srt;
            using var reader = new StringReader(content);
            return TranscriptionResult.Transcribed(Name, SubtitleParser.Parse(reader, format, path));
        }

        var text = string.Join(' ', content.TrimStart('\uFEFF').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
        {
            return TranscriptionResult.Transcribed(Name, []);
        }

        try
        {
            var audio = await request.GetDecodedAudioAsync(cancellationToken).ConfigureAwait(false);
            return TranscriptionResult.Transcribed(Name, [new TranscriptSegment(0, (long)audio.Duration.TotalMilliseconds, text)]);
        }
        catch (MediaDecodeException exception)
        {
            return TranscriptionResult.Transcribed(Name, [new TranscriptSegment(0, 0, text)],
                [$"{Name}: clip length unknown, plain-text transcript segment ends at 0: {exception.Message}"]);
        }
    }
}
