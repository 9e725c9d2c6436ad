using HybridSearch.Ingestion.Media;
using Whisper.net;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Offline speech recognition with OpenAI Whisper through whisper.cpp (the Whisper.net bindings and their CPU
/// runtime), for when a ggml model file is configured. The model file's structure is checked when the transcriber
/// is created (a missing or malformed file is a <see cref="WhisperModelException"/> then, never a crash inside the
/// native code); the model itself is loaded on the first transcription and kept. Clips are decoded to 16 kHz mono
/// (what Whisper expects) and transcribed one at a time (a whisper.cpp model is large and each run uses
/// <see cref="WhisperOptions.Threads"/> cores); each call gets its own processor, so no state leaks between clips.
/// When the native runtime cannot load on this machine, <see cref="SerializedNativeTranscriber.TranscribeAsync"/> returns "no transcript" with
/// the reason (<see cref="SerializedNativeTranscriber.UnavailableReason"/>), like <see cref="PocketSphinxTranscriber"/>.
/// </summary>
/// <example><code>
/// using var whisper = new WhisperTranscriber(new WhisperOptions("/models/ggml-base.en.bin"));
/// var chain = new TranscriberChain([new SidecarTranscriber(), whisper]);
/// </code></example>
public sealed class WhisperTranscriber : SerializedNativeTranscriber
{
    private static readonly Lazy<string?> RuntimeProblem = new(ProbeRuntime);
    private WhisperFactory? _factory;
    private WhisperModelException? _loadFailure;

    /// <summary>Creates the transcriber: checks the options, the model file's structure and whether the native
    /// runtime loads here. The model is not loaded yet.</summary>
    /// <param name="options">Model path, language, threads.</param>
    /// <exception cref="WhisperModelException">The model file is missing, unreadable or not a well-formed
    /// whisper.cpp model.</exception>
    /// <exception cref="ArgumentException">The language is not one Whisper knows (the options check the rest when set).</exception>
    public WhisperTranscriber(WhisperOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        ModelDescription = WhisperModelFile.Validate(options.ModelPath);
        UnavailableReason = RuntimeProblem.Value;
        if (IsAvailable && options.Language != WhisperOptions.AutoDetectLanguage && !WhisperFactory.GetSupportedLanguages().Contains(options.Language))
        {
            throw new ArgumentException($"Whisper does not know the language '{options.Language}'; use a code such as 'en' or '{WhisperOptions.AutoDetectLanguage}'.", nameof(options));
        }
    }

    /// <inheritdoc />
    public override string Name => "whisper";

    /// <summary>The options in force.</summary>
    public WhisperOptions Options { get; }

    /// <summary>What the model file's header says (layers, width, vocabulary, weight type).</summary>
    public string ModelDescription { get; }

    /// <inheritdoc />
    /// <exception cref="WhisperModelException">whisper.cpp rejected the model file (reported again on later calls).</exception>
    protected override async Task<TranscriptionResult> TranscribeExclusiveAsync(DecodedAudio audio, CancellationToken cancellationToken)
    {
        using var processor = BuildProcessor();
        var clipMs = (long)audio.Duration.TotalMilliseconds;
        var segments = new List<TranscriptSegment>();
        try
        {
            await foreach (var segment in processor.ProcessAsync(audio.Samples, cancellationToken).ConfigureAwait(false))
            {
                var text = segment.Text.Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                // Whisper's timestamps come in 10 ms steps and may run past the end of the clip's last window.
                var start = Math.Clamp((long)segment.Start.TotalMilliseconds, 0, clipMs);
                var end = Math.Clamp((long)segment.End.TotalMilliseconds, start, clipMs);
                segments.Add(new TranscriptSegment(start, end, text));
            }
        }
        catch (WhisperProcessingException exception)
        {
            throw new IngestionException(audio.Path, null, $"whisper failed to transcribe the clip: {exception.Message}", exception);
        }

        return TranscriptionResult.Transcribed(Name, segments);
    }

    /// <inheritdoc />
    protected override void ReleaseNative()
    {
        _factory?.Dispose();
        _factory = null;
    }

    /// <summary>Loads the model on first use (Whisper.net loads it when the first processor is built) and builds a
    /// processor for one clip. Called under the gate.</summary>
    private WhisperProcessor BuildProcessor()
    {
        if (_loadFailure is not null)
        {
            throw _loadFailure;
        }

        try
        {
            _factory ??= WhisperFactory.FromPath(Options.ModelPath);
            var builder = _factory.CreateBuilder().WithThreads(Options.Threads);
            builder = Options.Language == WhisperOptions.AutoDetectLanguage ? builder.WithLanguageDetection() : builder.WithLanguage(Options.Language);
            return builder.Build();
        }
        catch (WhisperModelLoadException exception)
        {
            // whisper.cpp said why on stderr only; the structure was checked, so a name, shape or type is wrong.
            _loadFailure = new WhisperModelException(Options.ModelPath,
                $"whisper.cpp could not load the model ({ModelDescription}): a tensor's name, shape or type does not match what whisper.cpp expects", exception);
            _factory?.Dispose();
            _factory = null;
            throw _loadFailure;
        }
    }

    /// <summary>Loads the native library once per process and asks it for its build information.</summary>
    private static string? ProbeRuntime()
    {
        try
        {
            return string.IsNullOrWhiteSpace(WhisperFactory.GetRuntimeInfo()) ? "the whisper.cpp runtime reported nothing" : null;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
            or TypeInitializationException or InvalidOperationException or NotSupportedException or FileNotFoundException)
        {
            return $"the whisper.cpp native runtime (package Whisper.net.Runtime) cannot be loaded: {exception.GetType().Name}: {exception.Message}";
        }
    }
}
