using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Records;
using NAudio.Wave;
using Xunit.Abstractions;

namespace HybridSearch.Tests.Ingestion.Media;

/// <summary>MP3 and Ogg Vorbis decoding on files made by lame and oggenc (see Fixtures/README.md).</summary>
public sealed class EncodedAudioFixtureTests(ITestOutputHelper output) : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();
    private readonly AudioClipDecoder _decoder = new();

    public static TheoryData<string> EncodedFiles =>
    [
        "sine440-mono-vbr.mp3",
        "stereo-440L-1000R-44k-cbr.mp3",
        "speech-flite-16k-cbr.mp3",
        "sine660-mono-22k.ogg",
        "stereo-500L-1200R-48k.ogg",
    ];

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public void GaplessVbrMp3Is2SOf440HzStartingOnTime()
    {
        var audio = _decoder.Decode(Fixture("sine440-mono-vbr.mp3"));

        Assert.Equal("MP3", audio.FormatName);
        Assert.Equal((22050, 1), (audio.SourceSampleRate, audio.SourceChannels));

        // The LAME tag's delays are removed: the tone starts at sample 0 (not ~50 ms in). NLayer drops the last
        // 529 source samples (24 ms at 22.05 kHz), so the clip is slightly short of 2 s, never longer.
        Assert.InRange(audio.Duration.TotalMilliseconds, 1970, 2000);
        Assert.InRange(FirstLoudSample(audio.Samples), 0, 16);
        AssertTones(audio.Samples, [440], amplitude: 0.5);
    }

    [Fact]
    public void StereoCbrMp3IsMixedDownToBothTonesAtHalfAmplitude()
    {
        var audio = _decoder.Decode(Fixture("stereo-440L-1000R-44k-cbr.mp3"));

        Assert.Equal((44100, 2), (audio.SourceSampleRate, audio.SourceChannels));
        Assert.InRange(audio.Duration.TotalMilliseconds, 1985, 2000);
        Assert.InRange(FirstLoudSample(audio.Samples), 0, 16);
        AssertTones(audio.Samples, [440, 1000], amplitude: 0.25);
    }

    [Fact]
    public void Mp3WithoutAGaplessTagKeepsTheCodecDelay()
    {
        var audio = _decoder.Decode(Fixture("speech-flite-16k-cbr.mp3"));

        // The source WAV was 48,400 samples (3,025 ms); without a tag the 1,105 samples of encoder and decoder
        // delay and the last frame's padding stay: 87 frames of 576 samples.
        Assert.Equal((16000, 1), (audio.SourceSampleRate, audio.SourceChannels));
        Assert.Equal(87 * 576, audio.Samples.Length);
        Assert.True(audio.Samples.Take(1105).All(sample => Math.Abs(sample) < 0.05f), "the codec delay is near-silent");
    }

    [Theory]
    [InlineData("sine660-mono-22k.ogg", 22050, 1, new double[] { 660 }, 0.5)]
    [InlineData("stereo-500L-1200R-48k.ogg", 48000, 2, new double[] { 500, 1200 }, 0.25)]
    public void OggVorbisDecodesToExactly2SOfTheTones(string file, int rate, int channels, double[] tones, double amplitude)
    {
        var audio = _decoder.Decode(Fixture(file));

        Assert.Equal("Ogg Vorbis", audio.FormatName);
        Assert.Equal((rate, channels), (audio.SourceSampleRate, audio.SourceChannels));
        Assert.Equal(32000, audio.Samples.Length);
        Assert.InRange(FirstLoudSample(audio.Samples), 0, 16);
        AssertTones(audio.Samples, tones, amplitude);
    }

    [Theory]
    [MemberData(nameof(EncodedFiles))]
    public void AFileCutAnywhereIsReportedAsTruncatedWithItsPath(string file)
    {
        var bytes = File.ReadAllBytes(Fixture(file));
        foreach (var fraction in new[] { 0.05, 0.3, 0.5, 0.77, 0.95 })
        {
            var path = _fixtures.WriteBytes($"cut-{fraction}-{file}", bytes[..(int)(bytes.Length * fraction)]);

            var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));

            output.WriteLine(error.Message);
            Assert.True(error.Failure == MediaDecodeFailure.Truncated, $"{file} cut at {fraction}: {error.Message}");
            Assert.Equal(path, error.SourcePath);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mp3CutAtAFrameBoundaryIsCaughtByItsXingHeader()
    {
        var bytes = File.ReadAllBytes(Fixture("sine440-mono-vbr.mp3"));
        var boundary = FrameOffsets(bytes)[40];
        var path = _fixtures.WriteBytes("cut-at-frame.mp3", bytes[..(int)boundary]);

        var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));

        Assert.Equal(MediaDecodeFailure.Truncated, error.Failure);
        Assert.Contains("declares 79 frames but only 39", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mp3WithoutAHeaderCutAtAFrameBoundaryCannotBeToldFromAShorterFile()
    {
        // A documented limit: with no Xing/Info header nothing says how long the file should be.
        var bytes = File.ReadAllBytes(Fixture("speech-flite-16k-cbr.mp3"));
        var boundary = FrameOffsets(bytes)[50];
        var path = _fixtures.WriteBytes("short.mp3", bytes[..(int)boundary]);

        Assert.Equal(50 * 576, _decoder.Decode(path).Samples.Length);
    }

    [Fact]
    public void OggCutAtAPageBoundaryIsTruncatedBecauseTheEndOfStreamPageIsMissing()
    {
        var bytes = File.ReadAllBytes(Fixture("stereo-500L-1200R-48k.ogg"));
        var lastPage = bytes.AsSpan().LastIndexOf("OggS"u8);
        var path = _fixtures.WriteBytes("no-eos.ogg", bytes[..lastPage]);

        var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path));

        Assert.Equal(MediaDecodeFailure.Truncated, error.Failure);
        Assert.Contains("without an end-of-stream page", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamageBetweenOggPagesIsCorruptNotTruncated()
    {
        var bytes = File.ReadAllBytes(Fixture("sine660-mono-22k.ogg"));
        var secondPage = bytes.AsSpan(1).IndexOf("OggS"u8) + 1;
        bytes[secondPage + 1] = (byte)'X';
        var path = _fixtures.WriteBytes("damaged.ogg", bytes);

        Assert.Equal(MediaDecodeFailure.Corrupt, Assert.Throws<MediaDecodeException>(() => _decoder.Decode(path)).Failure);
    }

    [Fact]
    public void Id3TagsBeforeAndAfterTheFramesDoNotChangeTheAudio()
    {
        var bytes = File.ReadAllBytes(Fixture("sine440-mono-vbr.mp3"));
        var id3v2 = new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 20 }.Concat(new byte[20]).ToArray();
        var id3v1 = "TAG"u8.ToArray().Concat(Enumerable.Repeat((byte)0xFF, 125)).ToArray();
        var path = _fixtures.WriteBytes("tagged.mp3", [.. id3v2, .. bytes, .. id3v1]);

        var plain = _decoder.Decode(Fixture("sine440-mono-vbr.mp3"));
        var tagged = _decoder.Decode(path);

        Assert.Equal(plain.Samples, tagged.Samples);
    }

    [Fact]
    public void Mp3DurationLimitAppliesFromTheFrameCount()
    {
        var limited = new AudioClipDecoder(new AudioDecodeOptions { MaxDuration = TimeSpan.FromSeconds(1.5) });

        var error = Assert.Throws<MediaDecodeException>(() => limited.Decode(Fixture("stereo-440L-1000R-44k-cbr.mp3")));

        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);
    }

    [SkippableFact]
    public async Task PocketSphinxTranscribesTheFliteMp3()
    {
        using var sphinx = new PocketSphinxTranscriber();
        OptionalNative.SkipIfMissing(sphinx.IsAvailable ? null : $"pocketsphinx: {sphinx.UnavailableReason}", OptionalNative.RequirePocketSphinxVariable);
        var path = Fixture("speech-flite-16k-cbr.mp3");

        var result = await sphinx.TranscribeAsync(new TranscriptionRequest(new RecordAudio(path), _decoder));

        var text = string.Join(' ', result.Segments.Select(segment => segment.Text));
        output.WriteLine(text);
        Assert.Contains("search", text, StringComparison.Ordinal);
        Assert.Contains("library", text, StringComparison.Ordinal);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Ingestion", "Fixtures", name);

    private static int FirstLoudSample(float[] samples) => Array.FindIndex(samples, sample => Math.Abs(sample) > 0.05f);

    /// <summary>Byte offsets of the MPEG frames (NAudio's parser), the Xing/Info frame included.</summary>
    private static List<long> FrameOffsets(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var offsets = new List<long>();
        while (Mp3Frame.LoadFromStream(stream, readData: false) is { } frame)
        {
            offsets.Add(frame.FileOffset);
        }

        return offsets;
    }

    /// <summary>Each tone holds the power of a sine of <paramref name="amplitude"/> (±35 %, lossy codec) in the
    /// middle of the clip, and a frequency between them holds almost none.</summary>
    private static void AssertTones(float[] samples, double[] tones, double amplitude)
    {
        var middle = samples.AsSpan(samples.Length / 4, samples.Length / 2);
        var expected = amplitude * amplitude / 4; // one DFT bin of a sine: (A·N/2)² / N per N samples
        foreach (var tone in tones)
        {
            var perSample = IngestionFixtures.PowerAt(middle, tone, DecodedAudio.SampleRate) / middle.Length;
            Assert.True(perSample > expected * 0.65 && perSample < expected * 1.35, $"{tone} Hz: power per sample {perSample:g3}, expected {expected:g3}");
        }

        var off = IngestionFixtures.PowerAt(middle, 777, DecodedAudio.SampleRate) / middle.Length;
        Assert.True(off < expected / 100, $"777 Hz: power per sample {off:g3}");
    }
}
