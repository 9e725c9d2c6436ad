using System.Runtime.InteropServices;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Records;
using NAudio.Wave;

namespace HybridSearch.Tests.Ingestion.Transcription;

/// <summary>
/// No Whisper model exists on the build machines and none may be downloaded, so real transcription is not tested
/// here. What is tested: the native runtime loads, and every kind of bad model file becomes a
/// <see cref="WhisperModelException"/> naming the file, including the ones that would otherwise abort the test
/// process inside whisper.cpp (checked by hand: a "ggml" magic with a bad ftype, and a file without tensors).
/// </summary>
public sealed class WhisperTranscriberTests : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public void TheNativeRuntimeLoadsOnLinuxX64()
    {
        using var whisper = new WhisperTranscriber(new WhisperOptions(WriteModel("tiny.bin", TinyHeader, BogusTensors(50))));

        Assert.Equal(whisper.IsAvailable, whisper.UnavailableReason is null);
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            Assert.True(whisper.IsAvailable, whisper.UnavailableReason);
        }

        Assert.Equal("whisper.cpp model: 1+1 layers, width 8/8, 100 tokens, 80 mel bands, ftype 1", whisper.ModelDescription);
    }

    [Fact]
    public void AMissingModelFileIsATypedErrorNamingIt()
    {
        var path = _fixtures.PathOf("no-such-model.bin");

        var error = Assert.Throws<WhisperModelException>(() => new WhisperTranscriber(new WhisperOptions(path)));

        Assert.Equal(path, error.SourcePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("random bytes", "not a whisper.cpp ggml model")]
    [InlineData("empty", "not a whisper.cpp ggml model")]
    [InlineData("ggml magic, garbage header", "n_vocab = ")]
    [InlineData("unknown ftype", "unknown weight type (ftype 4)")]
    [InlineData("no tensors", "need 50 tensors, but the file has 0")]
    [InlineData("too few tensors", "need 50 tensors, but the file has 49")]
    [InlineData("cut in the vocabulary", "ends early")]
    [InlineData("cut in a tensor", "ends early")]
    [InlineData("huge layers in a small file", "the file holds only")]
    [InlineData("vocabulary count differs", "the vocabulary has 99 tokens but the header says n_vocab = 100")]
    [InlineData("token length absurd", "vocabulary token 0 claims 100000000 bytes")]
    [InlineData("tensor type unknown", "tensor 1 has an invalid header (1 dimensions, a 7-byte name, type 99)")]
    public void AMalformedModelFileIsATypedErrorAtConstructionNotACrash(string damage, string expected)
    {
        var bytes = damage switch
        {
            "random bytes" => RandomBytes(200_000),
            "empty" => [],
            "ggml magic, garbage header" => [.. "lmgg"u8, .. RandomBytes(5000)],
            "unknown ftype" => Model(TinyHeader with { FileType = 4 }, BogusTensors(50)),
            "no tensors" => Model(TinyHeader, []),
            "too few tensors" => Model(TinyHeader, BogusTensors(49)),
            "cut in the vocabulary" => Model(TinyHeader, BogusTensors(50))[..(4 + 44 + 8 + (80 * 201 * 4) + 50)],
            "cut in a tensor" => Model(TinyHeader, BogusTensors(50))[..^10],
            "huge layers in a small file" => Model(TinyHeader with { Width = 4096, Heads = 64 }, BogusTensors(50)),
            "vocabulary count differs" => Model(TinyHeader, BogusTensors(50), vocabularyCount: 99),
            "token length absurd" => Model(TinyHeader, BogusTensors(50), tokenLength: 100_000_000),
            "tensor type unknown" => Model(TinyHeader, [("bogus.0", 99, [8])]),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        var path = _fixtures.WriteBytes($"{damage.Replace(' ', '-').Replace(",", string.Empty)}.bin", bytes);

        var error = Assert.Throws<WhisperModelException>(() => new WhisperTranscriber(new WhisperOptions(path)));

        Assert.Equal(path, error.SourcePath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModelWhisperCppRejectsFailsOnFirstUseWithATypedErrorEveryTime()
    {
        // Well-formed to the structure check, but whisper.cpp finds no tensor of the names it expects.
        var path = WriteModel("wrong-tensors.bin", TinyHeader, BogusTensors(50));
        using var whisper = new WhisperTranscriber(new WhisperOptions(path) { Threads = 1 });
        Assert.True(whisper.IsAvailable, whisper.UnavailableReason);
        var clip = _fixtures.WriteWav("clip.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(440, 16000, 1));
        var request = new TranscriptionRequest(new RecordAudio(clip), new AudioClipDecoder());

        var first = await Assert.ThrowsAsync<WhisperModelException>(() => whisper.TranscribeAsync(request));
        var second = await Assert.ThrowsAsync<WhisperModelException>(() => whisper.TranscribeAsync(request));

        Assert.Equal(path, first.SourcePath);
        Assert.Contains("whisper.cpp could not load the model", first.Message, StringComparison.Ordinal);
        Assert.Same(first, second);
    }

    [Fact]
    public void OptionsAreChecked()
    {
        var path = WriteModel("tiny.bin", TinyHeader, BogusTensors(50));

        Assert.Throws<ArgumentException>(() => new WhisperTranscriber(new WhisperOptions(path) { Language = "klingon" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WhisperTranscriber(new WhisperOptions(path) { Threads = 0 }));
        Assert.Throws<ArgumentException>(() => new WhisperOptions(" "));
        using var auto = new WhisperTranscriber(new WhisperOptions(path) { Language = WhisperOptions.AutoDetectLanguage });
        using var german = new WhisperTranscriber(new WhisperOptions(path) { Language = "de" });
        Assert.Equal("whisper", german.Name);
    }

    private static readonly ModelHeader TinyHeader = new(Vocabulary: 100, Context: 16, Width: 8, Heads: 2, Layers: 1, Mels: 80, FileType: 1);

    private string WriteModel(string name, ModelHeader header, (string Name, int Type, int[] Shape)[] tensors) =>
        _fixtures.WriteBytes(name, Model(header, tensors));

    private static (string Name, int Type, int[] Shape)[] BogusTensors(int count) =>
        Enumerable.Range(0, count).Select(index => ($"bogus.{index}", 0, new[] { 8 })).ToArray();

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A file in whisper.cpp's ggml layout: magic, 11 header fields, mel filters, vocabulary, tensors.</summary>
    private static byte[] Model(ModelHeader header, (string Name, int Type, int[] Shape)[] tensors, int? vocabularyCount = null, int? tokenLength = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(0x67676d6c);
            foreach (var field in new[]
            {
                header.Vocabulary, header.Context, header.Width, header.Heads, header.Layers,
                header.Context, header.Width, header.Heads, header.Layers, header.Mels, header.FileType,
            })
            {
                writer.Write(field);
            }

            writer.Write(header.Mels);
            writer.Write(201);
            writer.Write(new byte[header.Mels * 201 * sizeof(float)]);
            writer.Write(vocabularyCount ?? header.Vocabulary);
            for (var token = 0; token < header.Vocabulary; token++)
            {
                var text = System.Text.Encoding.ASCII.GetBytes($"t{token}");
                writer.Write(tokenLength ?? text.Length);
                writer.Write(text);
            }

            foreach (var (name, type, shape) in tensors)
            {
                writer.Write(shape.Length);
                writer.Write(name.Length);
                writer.Write(type);
                foreach (var size in shape)
                {
                    writer.Write(size);
                }

                writer.Write(System.Text.Encoding.ASCII.GetBytes(name));
                writer.Write(new byte[shape.Aggregate(1, (product, size) => product * size) * sizeof(float)]);
            }
        }

        return stream.ToArray();
    }

    private sealed record ModelHeader(int Vocabulary, int Context, int Width, int Heads, int Layers, int Mels, int FileType);
}
