namespace HybridSearch.Ingestion.Media;

/// <summary>A clip decoded to 16 kHz mono float samples in [-1, 1], ready for speech recognition.</summary>
public sealed class DecodedAudio
{
    /// <summary>The sample rate of <see cref="Samples"/>: 16,000 Hz.</summary>
    public const int SampleRate = 16000;

    internal DecodedAudio(string path, float[] samples, string formatName, int sourceSampleRate, int sourceChannels)
    {
        Path = path;
        Samples = samples;
        FormatName = formatName;
        SourceSampleRate = sourceSampleRate;
        SourceChannels = sourceChannels;
    }

    /// <summary>The file it was decoded from.</summary>
    public string Path { get; }

    /// <summary>Mono samples at <see cref="SampleRate"/>. Owned by this object; do not modify.</summary>
    public float[] Samples { get; }

    /// <summary>Length of the clip.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Length / (double)SampleRate);

    /// <summary>The detected container/codec (from the content), e.g. <c>WAV PCM 16-bit</c>, <c>MP3</c>,
    /// <c>Ogg Vorbis</c>, <c>Ogg Opus</c>.</summary>
    public string FormatName { get; }

    /// <summary>The sample rate of the file.</summary>
    public int SourceSampleRate { get; }

    /// <summary>The channel count of the file (mixed down to mono by averaging).</summary>
    public int SourceChannels { get; }
}
