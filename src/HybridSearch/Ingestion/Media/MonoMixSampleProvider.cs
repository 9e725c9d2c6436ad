using NAudio.Wave;

namespace HybridSearch.Ingestion.Media;

/// <summary>Mixes any number of interleaved channels to mono by averaging (NAudio's own mixers only handle
/// stereo).</summary>
internal sealed class MonoMixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly int _channels;
    private float[] _sourceBuffer = [];

    public MonoMixSampleProvider(ISampleProvider source)
    {
        _source = source;
        _channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(float[] buffer, int offset, int count)
    {
        if (_channels == 1)
        {
            return _source.Read(buffer, offset, count);
        }

        var needed = count * _channels;
        if (_sourceBuffer.Length < needed)
        {
            _sourceBuffer = new float[needed];
        }

        var read = ReadFully(_sourceBuffer, needed);
        var frames = read / _channels;
        var scale = 1f / _channels;
        for (var frame = 0; frame < frames; frame++)
        {
            var sum = 0f;
            var start = frame * _channels;
            for (var channel = 0; channel < _channels; channel++)
            {
                sum += _sourceBuffer[start + channel];
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
            var read = _source.Read(target, total, count - total);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
