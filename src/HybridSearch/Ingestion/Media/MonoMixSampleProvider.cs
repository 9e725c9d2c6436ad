using NAudio.Wave;

namespace HybridSearch.Ingestion.Media;

/// <summary>Mixes any number of interleaved channels to mono by averaging (NAudio's own mixers only handle
/// stereo).</summary>
internal sealed class MonoMixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider source;
    private readonly int channels;
    private float[] sourceBuffer = [];

    public MonoMixSampleProvider(ISampleProvider source)
    {
        this.source = source;
        channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(float[] buffer, int offset, int count)
    {
        if (channels == 1)
        {
            return source.Read(buffer, offset, count);
        }

        var needed = count * channels;
        if (sourceBuffer.Length < needed)
        {
            sourceBuffer = new float[needed];
        }

        var read = ReadFully(sourceBuffer, needed);
        var frames = read / channels;
        var scale = 1f / channels;
        for (var frame = 0; frame < frames; frame++)
        {
            var sum = 0f;
            var start = frame * channels;
            for (var channel = 0; channel < channels; channel++)
            {
                sum += sourceBuffer[start + channel];
            }

            buffer[offset + frame] = sum * scale;
        }

        return frames;
    }

    // Decoders may return fewer samples than asked (e.g. one MP3 frame), which could split a frame's channels.
    private int ReadFully(float[] target, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = source.Read(target, total, count - total);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
