namespace HybridSearch.Ingestion.Transcription;

/// <summary>How <see cref="WhisperTranscriber"/> runs: which whisper.cpp model, which language, how many threads.</summary>
public sealed record WhisperOptions
{
    /// <summary>Language code meaning "detect the language of each clip".</summary>
    public const string AutoDetectLanguage = "auto";

    /// <summary>Creates options for a model file.</summary>
    /// <param name="modelPath">A whisper.cpp ggml model (e.g. <c>ggml-base.en.bin</c>); nothing is downloaded.</param>
    public WhisperOptions(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ModelPath = modelPath;
    }

    /// <summary>The whisper.cpp ggml model file.</summary>
    public string ModelPath { get; init; }

    /// <summary>Spoken language as a Whisper code (<c>en</c>, <c>de</c>, ...), or <see cref="AutoDetectLanguage"/>.
    /// Default <c>en</c>. English-only models (<c>*.en.bin</c>) only transcribe English.</summary>
    public string Language { get; init; } = "en";

    /// <summary>CPU threads whisper.cpp uses for one clip. Default: the processor count, at most 4.</summary>
    public int Threads { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);
}
