namespace HybridSearch.Ingestion.Transcription;

/// <summary>How <see cref="WhisperTranscriber"/> runs: which whisper.cpp model, which language, how many threads.
/// Every setting is checked when set, also in <c>with</c>.</summary>
public sealed record WhisperOptions
{
    /// <summary>Language code meaning "detect the language of each clip".</summary>
    public const string AutoDetectLanguage = "auto";

    /// <summary>Creates options for a model file.</summary>
    /// <param name="modelPath">A whisper.cpp ggml model (e.g. <c>ggml-base.en.bin</c>); nothing is downloaded.</param>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is null or blank.</exception>
    public WhisperOptions(string modelPath)
    {
        ModelPath = modelPath;
    }

    /// <summary>The whisper.cpp ggml model file.</summary>
    /// <exception cref="ArgumentException">The value is null or blank.</exception>
    public string ModelPath
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("ModelPath must name a model file.", nameof(ModelPath));
    }

    /// <summary>Spoken language as a Whisper code (<c>en</c>, <c>de</c>, ...), or <see cref="AutoDetectLanguage"/>.
    /// Default <c>en</c>. English-only models (<c>*.en.bin</c>) only transcribe English.</summary>
    /// <exception cref="ArgumentException">The value is null or blank (whether Whisper knows it is checked when the
    /// transcriber loads, from the native library's list).</exception>
    public string Language
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Language must be a Whisper language code or 'auto'.", nameof(Language));
    } = "en";

    /// <summary>CPU threads whisper.cpp uses for one clip. Default: the processor count, at most 4.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Threads
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "Threads must be 1 or more.");
    } = Math.Clamp(Environment.ProcessorCount, 1, 4);
}
