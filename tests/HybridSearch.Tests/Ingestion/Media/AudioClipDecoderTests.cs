using HybridSearch.Ingestion.Media;
using NAudio.Wave;

namespace HybridSearch.Tests.Ingestion.Media;

public sealed class AudioClipDecoderTests : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();
    private readonly AudioClipDecoder _decoder = new();

    public void Dispose() => _fixtures.Dispose();

    [Theory]
    [InlineData(44100, 2, 16)]
    [InlineData(22050, 1, 8)]
    [InlineData(48000, 3, 24)]
    [InlineData(8000, 1, 32)]
    public void PcmWavBecomes16kMonoWithTheRightLengthAndFrequency(int rate, int channels, int bits)
    {
        var path = _fixtures.WriteWav($"sine-{rate}-{channels}-{bits}.wav", new WaveFormat(rate, bits, channels), IngestionFixtures.Sine(440, rate, 1.5));

        var audio = _decoder.Decode(path);

        Assert.Equal(channels, audio.SourceChannels);
        Assert.Equal(rate, audio.SourceSampleRate);
        Assert.Equal($"WAV PCM {bits}-bit", audio.FormatName);
        Assert.InRange(audio.Samples.Length, 24000 - 160, 24000 + 160);
        AssertTone(audio.Samples, 440);
    }

    [Fact]
    public void IeeeFloatWavDecodes()
    {
        var path = _fixtures.WriteWav("float.wav", WaveFormat.CreateIeeeFloatWaveFormat(16000, 2), IngestionFixtures.Sine(1000, 16000, 1));

        var audio = _decoder.Decode(path);

        Assert.Equal("WAV IEEE float 32-bit", audio.FormatName);
        Assert.Equal(16000, audio.Samples.Length);
        Assert.Equal(0.5f * MathF.Sin(2 * MathF.PI * 1000 * 3 / 16000), audio.Samples[3], 4);
        AssertTone(audio.Samples, 1000);
    }

    [Fact]
    public void OggOpusMadeWithConcentusDecodesWithExactLength()
    {
        var path = _fixtures.WriteBytes("tone.opus", IngestionFixtures.OggOpus(IngestionFixtures.Sine(600, 48000, 1.0)));

        var audio = _decoder.Decode(path);

        Assert.Equal("Ogg Opus", audio.FormatName);
        Assert.InRange(audio.Samples.Length, 16000 - 20, 16000 + 20);
        AssertTone(audio.Samples, 600);
    }

    [Fact]
    public void BrokenAudioFailsWithThePathAndTheReason()
    {
        var wav = File.ReadAllBytes(_fixtures.WriteWav("ok.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(440, 16000, 1)));
        var cases = new (string Name, byte[] Bytes, MediaDecodeFailure Expected)[]
        {
            ("empty.wav", [], MediaDecodeFailure.EmptyFile),
            ("text.wav", "RIFF? no, just some text pretending to be audio"u8.ToArray(), MediaDecodeFailure.UnsupportedFormat),
            ("cut.wav", wav[..(wav.Length / 2)], MediaDecodeFailure.Truncated),
            ("header-only.wav", wav[..30], MediaDecodeFailure.Truncated),
            ("text.mp3", "ID3 but nothing else"u8.ToArray(), MediaDecodeFailure.Corrupt),
            ("text.ogg", "OggS"u8.ToArray().Concat(new byte[40]).ToArray(), MediaDecodeFailure.UnsupportedFormat),
        };

        foreach (var (name, bytes, expected) in cases)
        {
            var path = _fixtures.WriteBytes(name, bytes);
            var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));
            Assert.True(expected == error.Failure, $"{name}: expected {expected}, got {error.Message}");
            Assert.Equal(path, error.SourcePath);
        }
    }

    [Theory]
    [InlineData("zero-channels", 1, 0, 16000, 32000, 2, 16, "0 channels")]
    [InlineData("zero-bits", 1, 1, 16000, 32000, 2, 0, "0 bits per sample")]
    [InlineData("zero-hz", 1, 1, 0, 32000, 2, 16, "sample rate of 0 Hz")]
    [InlineData("zero-byte-rate", 1, 1, 16000, 0, 2, 16, "byte rate of 0")]
    [InlineData("zero-block-align", 1, 2, 16000, 64000, 0, 16, "block alignment of 0 bytes")]
    [InlineData("lying-block-align", 1, 2, 16000, 64000, 1, 16, "block alignment of 1 bytes")]
    [InlineData("huge-rate", 1, 1, uint.MaxValue, 32000, 2, 16, "sample rate of 4294967295 Hz")]
    [InlineData("extensible-zero-channels", 0xFFFE, 0, 16000, 32000, 2, 16, "0 channels")]
    [InlineData("adpcm-zero-hz", 2, 1, 0, 4000, 256, 4, "sample rate of 0 Hz")]
    public void AWavWhoseFmtChunkCannotDescribeAudioIsCorruptNotACrash(string name, int tag, int channels, uint rate, uint byteRate, int blockAlign, int bits, string expected)
    {
        var path = _fixtures.WriteBytes(name + ".wav", IngestionFixtures.WavWithFormat((ushort)tag, (ushort)channels, rate, byteRate, (ushort)blockAlign, (ushort)bits));

        var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));

        Assert.Equal(MediaDecodeFailure.Corrupt, error.Failure);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        Assert.Equal(path, error.SourcePath);
    }

    [Fact]
    public void AWavWithAnUnusualBitDepthOrMisplacedChunksIsReportedNotThrown()
    {
        var cases = new (string Name, byte[] Bytes, MediaDecodeFailure Expected)[]
        {
            ("pcm-12-bit.wav", IngestionFixtures.WavWithFormat(1, 1, 16000, 32000, 2, 12), MediaDecodeFailure.UnsupportedFormat),
            ("float-16-bit.wav", IngestionFixtures.WavWithFormat(3, 1, 16000, 32000, 2, 16), MediaDecodeFailure.UnsupportedFormat),
            ("data-first.wav", [.. "RIFF"u8, 0, 1, 0, 0, .. "WAVE"u8, .. "data"u8, 4, 0, 0, 0, 1, 2, 3, 4], MediaDecodeFailure.Corrupt),
            ("chunk-past-end.wav", [.. "RIFF"u8, 0, 1, 0, 0, .. "WAVE"u8, .. "LIST"u8, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2], MediaDecodeFailure.Truncated),
            ("short-fmt.wav", [.. "RIFF"u8, 0, 1, 0, 0, .. "WAVE"u8, .. "fmt "u8, 4, 0, 0, 0, 1, 0, 1, 0], MediaDecodeFailure.Corrupt),
        };

        foreach (var (name, bytes, expected) in cases)
        {
            var path = _fixtures.WriteBytes(name, bytes);
            var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));
            Assert.True(expected == error.Failure, $"{name}: expected {expected}, got {error.Message}");
        }
    }

    [Fact]
    public void AWavWithACorrectHeaderStillDecodesAfterTheChecks()
    {
        var path = _fixtures.WriteBytes("square.wav", IngestionFixtures.WavWithFormat(1, 1, 8000, 8000, 1, 8, dataBytes: 8000));

        var audio = _decoder.Decode(path);

        Assert.Equal("WAV PCM 8-bit", audio.FormatName);
        Assert.InRange(audio.Samples.Length, 16000 - 160, 16000 + 160);
    }

    [Fact]
    public void DurationAndSizeLimitsApply()
    {
        var path = _fixtures.WriteWav("long.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(440, 16000, 3));

        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => new AudioClipDecoder(new AudioDecodeOptions { MaxDuration = TimeSpan.FromSeconds(2) }).Decode(path)).Failure);
        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => new AudioClipDecoder(new AudioDecodeOptions { MaxFileBytes = 1000 }).Decode(path)).Failure);
        var opus = _fixtures.WriteBytes("long.opus", IngestionFixtures.OggOpus(IngestionFixtures.Sine(440, 48000, 3)));
        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => new AudioClipDecoder(new AudioDecodeOptions { MaxDuration = TimeSpan.FromSeconds(2) }).Decode(opus)).Failure);
    }

    /// <summary>The tone's power stands far above a neighbouring frequency's in the middle of the clip.</summary>
    private static void AssertTone(float[] samples, double frequency)
    {
        var middle = samples.AsSpan(samples.Length / 4, samples.Length / 2);
        var at = IngestionFixtures.PowerAt(middle, frequency, DecodedAudio.SampleRate);
        var off = IngestionFixtures.PowerAt(middle, frequency * 1.7, DecodedAudio.SampleRate);
        Assert.True(at > 100 * off, $"power at {frequency} Hz {at:g3} vs {frequency * 1.7} Hz {off:g3}");
        Assert.InRange(at / middle.Length, 0.02, 0.1); // amplitude 0.5 sine: power per sample ≈ 0.0625
    }
}
