using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace HybridSearch.Tests.Ingestion;

/// <summary>
/// Writes a manifest mixing good records with every kind of bad input the ingestion must survive, and a clean
/// manifest of the same good records alone: zero-byte, truncated and text-as-image files, a header-only and a real
/// deflate decompression bomb, lying PNG and WAV headers, WAVs with 0 channels / 0 bits / 0 Hz, non-audio, malformed
/// JSON, JSON nested too deep, NaN and out-of-range numbers, a line over the length limit, invalid UTF-8, a duplicate
/// id, a missing file, a FIFO, a symbolic link to /dev/zero, a directory, a <c>../</c> escape, an absolute path
/// outside, a symbolic link pointing outside, and a malformed subtitle sidecar. Everything is generated (nothing
/// binary is committed). Layout: <c>ROOT/corpus/</c> (manifests and media) and <c>ROOT/outside/</c> (files no
/// manifest may reach). Needs Linux (FIFO, /dev/zero).
/// </summary>
internal sealed class BadInputCorpus
{
    private readonly List<byte[]> _lines = [];
    private readonly List<string> _cleanLines = [];
    private readonly List<ExpectedFailure> _failures = [];
    private readonly List<string> _goodIds = [];
    private readonly List<string> _indexedWithProblems = [];

    private BadInputCorpus(string root)
    {
        Root = root;
        Folder = Path.Combine(root, "corpus");
        Outside = Path.Combine(root, "outside");
        Manifest = Path.Combine(Folder, "corpus.jsonl");
        CleanManifest = Path.Combine(Folder, "clean.jsonl");
    }

    /// <summary>A failure the run must report: the file, the line (for a manifest line) and words of the reason.</summary>
    public sealed record ExpectedFailure(string Path, int? Line, string Reason, string? RecordId);

    public string Root { get; }

    public string Folder { get; }

    public string Outside { get; }

    /// <summary>Good and bad records together.</summary>
    public string Manifest { get; }

    /// <summary>The good records alone.</summary>
    public string CleanManifest { get; }

    /// <summary>Records that must be indexed with no failure.</summary>
    public IReadOnlyList<string> GoodIds => _goodIds;

    /// <summary>Records indexed without one of their files (each also has an <see cref="ExpectedFailure"/>).</summary>
    public IReadOnlyList<string> IndexedWithProblems => _indexedWithProblems;

    /// <summary>Every failure the run must report, and no other.</summary>
    public IReadOnlyList<ExpectedFailure> Failures => _failures;

    /// <summary>Lines in the manifest (every item of the run).</summary>
    public int Items => _lines.Count;

    /// <summary>Writes the corpus under <paramref name="root"/> (created).</summary>
    public static BadInputCorpus Write(string root)
    {
        var corpus = new BadInputCorpus(root);
        corpus.Build();
        return corpus;
    }

    private void Build()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "media"));
        Directory.CreateDirectory(Outside);
        var secret = WriteOutside("secret.srt", "1\n00:00:00,000 --> 00:00:01,000\nthe password is swordfish\n"u8.ToArray());
        var outsidePhoto = WriteOutside("photo.png", IngestionFixtures.PngBytes(32, 32));

        // Good records: text, images with captions, audio in three formats with a transcript, a long text.
        Media("red.png", IngestionFixtures.PngBytes(64, 48));
        Media("stripes.jpg", IngestionFixtures.JpegBytes(80, 60));
        Media("tone.wav", IngestionFixtures.WavWithFormat(1, 1, 8000, 8000, 1, 8, dataBytes: 16000));
        Media("tone.srt", "1\n00:00:00,000 --> 00:00:01,000\nharbour bell\n\n2\n00:00:01,000 --> 00:00:02,000\nlighthouse horn\n"u8.ToArray());
        Media("tone.opus", IngestionFixtures.OggOpus(IngestionFixtures.Sine(500, 48000, 1.0)));
        Good(new { id = "good-text", title = "Lighthouse keepers", text = "A keeper trims the wick and winds the clockwork every night.", fields = new { kind = "article", year = 2021 } });
        Good(new { id = "good-image", title = "Red square", images = new object[] { new { path = "media/red.png", caption = "a red square" } } });
        Good(new { id = "good-jpeg", title = "Stripes", text = "blue and white", images = new[] { "media/stripes.jpg" } });
        Good(new { id = "good-audio", title = "Bell", audio = new object[] { new { path = "media/tone.wav", transcript = "media/tone.srt" } } });
        Good(new { id = "good-opus", title = "Opus tone", audio = new[] { "media/tone.opus" } });
        Good(new { id = "good-long", title = "Long log", text = string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"entry{i % 50} tide wind")) });

        // Bad media in otherwise good records: the record is indexed without the file, the file is reported.
        BadMedia("bad-zero-byte", "zero.png", [], "EmptyFile");
        BadMedia("bad-truncated-jpeg", "truncated.jpg", Half(IngestionFixtures.JpegBytes(80, 60)), "Truncated");
        BadMedia("bad-truncated-png", "truncated.png", Half(IngestionFixtures.PngBytes(64, 48)), "Truncated");
        BadMedia("bad-text-as-png", "notes.png", "a text file, not a picture\n"u8.ToArray(), "UnsupportedFormat");
        BadMedia("bad-bomb-header", "bomb-header.png", IngestionFixtures.PngHeaderOnly(60000, 60000), "TooLarge");
        BadMedia("bad-bomb-deflate", "bomb-deflate.png", DeflateBombPng(9000, 9000), "TooLarge");
        BadMedia("bad-lying-png", "lying.png", IngestionFixtures.PngHeaderOnly(640, 480), "IDAT chunks hold 8 compressed bytes"); // declares 640x480, holds no pixels
        BadAudio("bad-wav-0-channels", "zero-channels.wav", IngestionFixtures.WavWithFormat(1, 0, 16000, 32000, 2, 16), "0 channels");
        BadAudio("bad-wav-0-bits", "zero-bits.wav", IngestionFixtures.WavWithFormat(1, 1, 16000, 32000, 2, 0), "0 bits per sample");
        BadAudio("bad-wav-0-hz", "zero-hz.wav", IngestionFixtures.WavWithFormat(1, 1, 0, 32000, 2, 16), "sample rate of 0 Hz");
        BadAudio("bad-wav-lying-length", "lying-length.wav", LyingDataLength(IngestionFixtures.WavWithFormat(1, 1, 8000, 8000, 1, 8)), "Truncated");
        BadAudio("bad-text-as-wav", "speech.wav", "RIFF? no, just text\n"u8.ToArray(), "UnsupportedFormat");
        BadAudio("bad-mp3", "empty-tag.mp3", "ID3 but nothing else"u8.ToArray(), "Corrupt");
        Media("subtitles.wav", IngestionFixtures.WavWithFormat(1, 1, 8000, 8000, 1, 8, dataBytes: 8000));
        var badSrt = Media("subtitles.srt", "1\nthis is not a timing line\nhello\n"u8.ToArray());
        Line(new { id = "bad-sidecar", title = "Bad subtitles", audio = new object[] { new { path = "media/subtitles.wav", transcript = "media/subtitles.srt" } } });
        ExpectProblem(badSrt, "bad-sidecar", "text before the first timing line", line: 1);

        Media("overflow.wav", IngestionFixtures.WavWithFormat(1, 1, 8000, 8000, 1, 8, dataBytes: 8000));
        var overflowSrt = Media("overflow.srt", "1\n99999999999999999999:00:00,000 --> 99999999999999999999:00:01,000\nhello\n"u8.ToArray());
        Line(new { id = "bad-sidecar-overflow", title = "Overflowing subtitles", audio = new object[] { new { path = "media/overflow.wav", transcript = "media/overflow.srt" } } });
        ExpectProblem(overflowSrt, "bad-sidecar-overflow", "malformed start time", line: 2);

        // Bad lines: the line is reported and skipped.
        Raw("{\"id\": \"bad-json\", \"title\": ", "malformed JSON");
        Raw("{\"id\":\"bad-depth\",\"fields\":{\"x\":" + new string('[', 40) + new string(']', 40) + "}}", "malformed JSON");
        Raw("{\"id\":\"bad-nan\",\"fields\":{\"x\":NaN}}", "malformed JSON");
        Raw("{\"id\":\"bad-huge-number\",\"fields\":{\"x\":1e999}}", "out of range");
        Raw("{\"id\":\"bad-long-line\",\"text\":\"" + new string('x', (1 << 20) + 10) + "\"}", "over the limit");
        RawBytes([.. "{\"id\":\"bad-utf8\",\"title\":\"caf"u8, 0xC3, 0x28, .. "\"}"u8], "invalid UTF-8 at byte");
        Raw(Json(new { id = "good-text", title = "Duplicate" }), "duplicate id 'good-text'");
        Raw(Json(new { id = "bad-missing", images = new[] { "media/nothing.png" } }), "not found");
        Fifo("pipe.png");
        Raw(Json(new { id = "bad-fifo", images = new[] { "media/pipe.png" } }), "is a FIFO");
        Fifo("pipe.srt");
        Raw(Json(new { id = "bad-fifo-sidecar", audio = new object[] { new { path = "media/tone.wav", transcript = "media/pipe.srt" } } }), "is a FIFO");
        File.CreateSymbolicLink(Path.Combine(Folder, "media", "dev-zero.png"), "/dev/zero");
        Raw(Json(new { id = "bad-dev-zero", images = new[] { "media/dev-zero.png" } }), "resolves to '/dev/zero'");
        Directory.CreateDirectory(Path.Combine(Folder, "media", "album.png"));
        Raw(Json(new { id = "bad-directory", images = new[] { "media/album.png" } }), "is a directory");
        Raw(Json(new { id = "bad-escape", audio = new object[] { new { path = "media/tone.wav", transcript = "../outside/secret.srt" } } }), "is outside the folder");
        Raw(Json(new { id = "bad-absolute", images = new[] { outsidePhoto } }), "is outside the folder");
        File.CreateSymbolicLink(Path.Combine(Folder, "media", "link-out.srt"), secret);
        Raw(Json(new { id = "bad-link-out", audio = new object[] { new { path = "media/tone.wav", transcript = "media/link-out.srt" } } }), $"resolves to '{secret}'");

        File.WriteAllBytes(Manifest, _lines.SelectMany(line => line.Concat("\n"u8.ToArray())).ToArray());
        File.WriteAllLines(CleanManifest, _cleanLines);
    }

    private static string Json(object record) => JsonSerializer.Serialize(record);

    private static byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];

    /// <summary>A WAV whose data chunk declares a gigabyte although a few kilobytes follow.</summary>
    private static byte[] LyingDataLength(byte[] wav)
    {
        var data = wav.AsSpan().IndexOf("data"u8);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(data + 4), 1 << 30);
        return wav;
    }

    /// <summary>A valid PNG of <paramref name="width"/>×<paramref name="height"/> black pixels whose IDAT really holds
    /// all the compressed rows: a few hundred kilobytes that would decode to width × height × 3 bytes.</summary>
    private static byte[] DeflateBombPng(int width, int height)
    {
        var withoutData = IngestionFixtures.PngHeaderOnly(width, height);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (3 * width)];
            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        // Signature (8) + IHDR chunk (25) are kept; the IDAT is replaced by the real one, then IEND.
        using var png = new MemoryStream();
        png.Write(withoutData.AsSpan(0, 33));
        IngestionFixtures.WriteChunk(png, "IDAT", compressed.ToArray());
        IngestionFixtures.WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private string WriteOutside(string name, byte[] bytes)
    {
        var path = Path.Combine(Outside, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Media(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, "media", name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void Fifo(string name)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [Path.Combine(Folder, "media", name)]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo exited with {process.ExitCode}");
        }
    }

    private void Line(object record) => _lines.Add(Encoding.UTF8.GetBytes(Json(record)));

    private void Good(object record)
    {
        var json = Json(record);
        _lines.Add(Encoding.UTF8.GetBytes(json));
        _cleanLines.Add(json);
        _goodIds.Add(JsonDocument.Parse(json).RootElement.GetProperty("id").GetString()!);
    }

    private void BadMedia(string id, string file, byte[] bytes, string reason)
    {
        var path = Media(file, bytes);
        Line(new { id, title = $"Record with {file}", images = new[] { $"media/{file}" } });
        ExpectProblem(path, id, reason);
    }

    private void BadAudio(string id, string file, byte[] bytes, string reason)
    {
        var path = Media(file, bytes);
        Line(new { id, title = $"Record with {file}", audio = new[] { $"media/{file}" } });
        ExpectProblem(path, id, reason);
    }

    private void ExpectProblem(string path, string id, string reason, int? line = null)
    {
        _failures.Add(new ExpectedFailure(path, line, reason, id));
        _indexedWithProblems.Add(id);
    }

    private void Raw(string line, string reason) => RawBytes(Encoding.UTF8.GetBytes(line), reason);

    private void RawBytes(byte[] line, string reason)
    {
        _lines.Add(line);
        _failures.Add(new ExpectedFailure(Manifest, _lines.Count, reason, null));
    }
}
