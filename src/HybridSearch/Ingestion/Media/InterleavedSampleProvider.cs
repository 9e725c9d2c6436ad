using NAudio.Wave;

namespace HybridSearch.Ingestion.Media;

/// <summary>Adapts a decoder's "read interleaved floats" method to NAudio's <see cref="ISampleProvider"/>.</summary>
internal sealed class InterleavedSampleProvider(int sampleRate, int channels, Func<float[], int, int, int> read) : ISampleProvider
{
    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels);

    public int Read(float[] buffer, int offset, int count) => read(buffer, offset, count);
}
