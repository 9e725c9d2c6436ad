using HybridSearch.Ingestion.Sources;
using HybridSearch.Records;

namespace HybridSearch.Tests.Ingestion.Sources;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public void ReadsTheDocumentedExampleWithTypedFieldsAndRelativePaths()
    {
        _fixtures.WriteBytes("m/img/a.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteBytes("m/rec/b.wav", [1]);
        _fixtures.WriteText("m/rec/b.srt", "1\n00:00:00,000 --> 00:00:01,000\nhi\n");
        var manifest = _fixtures.WriteText("m/records.jsonl",
            """{"id":"case-17","title":"Chest","text":"nodule","fields":{"modality":"CT","age":74,"seen":"2024-03-01","at":"2024-03-01T10:20:30+02:00","ok":true},"images":[{"path":"img/a.png","caption":"axial"}],"audio":[{"path":"rec/b.wav","transcript":"rec/b.srt"}]}""" + "\n"
            + "\n"
            + """{"id":"case-18","images":["img/a.png"],"audio":["rec/b.wav"]}""" + "\n");

        var items = new ManifestReader(manifest).ReadItems().ToList();

        Assert.All(items, item => Assert.False(item.IsError, item.ToString()));
        var record = items[0].Record!;
        Assert.Equal("case-17", record.Id);
        Assert.Equal("Chest", record.Title);
        Assert.Equal(FieldValue.Keyword("CT"), record.Fields["modality"]);
        Assert.Equal(FieldValue.Number(74), record.Fields["age"]);
        Assert.Equal(FieldValue.Date(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)), record.Fields["seen"]);
        Assert.Equal(FieldValue.Date(new DateTimeOffset(2024, 3, 1, 10, 20, 30, TimeSpan.FromHours(2))), record.Fields["at"]);
        Assert.Equal(FieldValue.Keyword("true"), record.Fields["ok"]);
        Assert.Equal(_fixtures.PathOf("m/img/a.png"), record.Images[0].Path);
        Assert.Equal("axial", record.Images[0].Caption);
        Assert.Equal(_fixtures.PathOf("m/rec/b.srt"), record.Audio[0].TranscriptPath);
        Assert.Equal(_fixtures.PathOf("m/img/a.png"), items[1].Record!.Images[0].Path);
        Assert.Null(items[1].Record!.Audio[0].TranscriptPath);
    }

    [Fact]
    public void EveryBadLineIsAnErrorWithItsLineNumberAndTheRestGoesOn()
    {
        var manifest = _fixtures.WriteText("records.jsonl", string.Join("\r\n",
            """{"id":"a"}""",                                   // 1 ok
            """{"id":"b", """,                                  // 2 malformed
            """{"title":"no id"}""",                            // 3 missing id
            """{"id":"a"}""",                                   // 4 duplicate
            """{"id":"c","images":["missing.png"]}""",          // 5 missing file
            """{"id":"d","colour":"red"}""",                    // 6 unknown property
            """{"id":"e","fields":{"tags":["x","y"]}}""",       // 7 array field
            """{"id":"f","fields":{"o":{"k":1}}}""",            // 8 object field
            "   ",                                              // 9 blank: skipped
            """{"id":"g","text":"fine"}"""));                   // 10 ok

        var items = new ManifestReader(manifest).ReadItems().ToList();

        Assert.Equal(["a", "g"], items.Where(item => !item.IsError).Select(item => item.Record!.Id));
        var errors = items.Where(item => item.IsError).Select(item => (ManifestException)item.Error!).ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], errors.Select(error => error.LineNumber!.Value));
        Assert.All(errors, error => Assert.Equal(manifest, error.SourcePath));
        Assert.Contains("malformed JSON", errors[0].Reason);
        Assert.Contains("missing 'id'", errors[1].Reason);
        Assert.Contains("duplicate id 'a'", errors[2].Reason);
        Assert.Contains("missing.png", errors[3].Reason);
        Assert.Contains("unknown property 'colour'", errors[4].Reason);
        Assert.Contains("fields.tags", errors[5].Reason);
        Assert.Contains("fields.o", errors[6].Reason);
        Assert.StartsWith($"{manifest}:2: ", errors[0].Message);
    }

    [Fact]
    public void AnOversizedLineIsAnErrorAndTheNextLineIsRead()
    {
        var manifest = _fixtures.WriteText("records.jsonl",
            "{\"id\":\"long\",\"text\":\"" + new string('x', 500) + "\"}\n{\"id\":\"short\"}\n");

        var items = new ManifestReader(manifest, new ManifestReaderOptions { MaxLineLength = 100 }).ReadItems().ToList();

        Assert.Equal(2, items.Count);
        Assert.Equal(1, items[0].Error!.LineNumber);
        Assert.Contains("over the limit of 100", items[0].Error!.Reason);
        Assert.Equal("short", items[1].Record!.Id);
    }

    [Fact]
    public void AByteOrderMarkAndALineExactlyAtTheLimitAreAccepted()
    {
        var line = "{\"id\":\"x\"}";
        var path = _fixtures.PathOf("bom.jsonl");
        File.WriteAllText(path, line + "\r\n", new System.Text.UTF8Encoding(true));

        var items = new ManifestReader(path, new ManifestReaderOptions { MaxLineLength = line.Length }).ReadItems().ToList();

        Assert.Equal("x", Assert.Single(items).Record!.Id);
    }

    [Fact]
    public void StringsThatOnlyLookLikeDatesStayKeywords()
    {
        var manifest = _fixtures.WriteText("r.jsonl", """{"id":"a","fields":{"d":"2024-13-45","code":"1234-56-78x"}}""");

        var record = new ManifestReader(manifest).ReadItems().Single().Record!;

        Assert.Equal(FieldKind.Keyword, record.Fields["d"].Kind);
        Assert.Equal(FieldKind.Keyword, record.Fields["code"].Kind);
    }

    [Fact]
    public void PathsThatResolveOutsideTheManifestsFolderAreErrorsNamingThePath()
    {
        var secret = _fixtures.WriteText("outside/secret.txt", "the password is swordfish");
        _fixtures.WriteBytes("outside/photo.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteBytes("m/img/a.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteBytes("m/rec/a.wav", [1]);
        _fixtures.Symlink("m/img/link-out.png", _fixtures.PathOf("outside/photo.png"));
        _fixtures.Symlink("m/img/link-in.png", "a.png");
        _fixtures.Symlink("m/linked-dir", _fixtures.PathOf("outside"));
        _fixtures.Symlink("m/img/up", "..");
        var manifest = _fixtures.WriteText("m/records.jsonl", string.Join("\n",
            """{"id":"dotdot","audio":[{"path":"rec/a.wav","transcript":"../outside/secret.txt"}]}""",
            $$"""{"id":"absolute","images":["{{_fixtures.PathOf("outside/photo.png")}}"]}""",
            """{"id":"file-link","images":["img/link-out.png"]}""",
            """{"id":"dir-link","images":["linked-dir/photo.png"]}""",
            """{"id":"missing-outside","images":["../outside/nothing.png"]}""",
            """{"id":"inside-link","images":["img/link-in.png"]}""",
            """{"id":"inside-dotdot","images":["img/../img/a.png", "img/up/img/a.png"]}""",
            $$"""{"id":"inside-absolute","images":["{{_fixtures.PathOf("m/img/a.png")}}"]}"""));

        var items = new ManifestReader(manifest).ReadItems().ToList();

        Assert.Equal(["inside-link", "inside-dotdot", "inside-absolute"], items.Where(item => !item.IsError).Select(item => item.Record!.Id));
        var errors = items.Where(item => item.IsError).Select(item => item.Error!).ToList();
        Assert.Equal([1, 2, 3, 4, 5], errors.Select(error => error.LineNumber!.Value));
        Assert.All(errors, error => Assert.Contains("is outside the folder", error.Reason, StringComparison.Ordinal));
        Assert.Contains("'audio[0].transcript' path '../outside/secret.txt'", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'img/link-out.png'", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains($"resolves to '{_fixtures.PathOf("outside/photo.png")}'", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains($"resolves to '{_fixtures.PathOf("outside/photo.png")}'", errors[3].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not found", errors[4].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(items, item => item.Record?.Audio.Any(audio => audio.TranscriptPath == secret) == true);
    }

    [Fact]
    public void AnAllowedDirectoryWidensTheRuleAndNothingElse()
    {
        _fixtures.WriteBytes("shared/photo.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteBytes("private/photo.png", IngestionFixtures.PngBytes(4, 4));
        var manifest = _fixtures.WriteText("m/records.jsonl", string.Join("\n",
            """{"id":"shared","images":["../shared/photo.png"]}""",
            """{"id":"private","images":["../private/photo.png"]}"""));

        var items = new ManifestReader(manifest, new ManifestReaderOptions { AllowedDirectories = [_fixtures.PathOf("shared")] }).ReadItems().ToList();

        Assert.Equal(_fixtures.PathOf("shared/photo.png"), items[0].Record!.Images[0].Path);
        Assert.Contains("outside the folder", items[1].Error!.Reason, StringComparison.Ordinal);
        Assert.Contains("or the allowed directories", items[1].Error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordJsonFileInAFolderIsConfinedToTheWalkedFolder()
    {
        _fixtures.WriteBytes("outside/photo.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteBytes("root/img/a.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteText("root/sub/in.json", """{"title":"In","images":["../img/a.png"]}""");
        var escaping = _fixtures.WriteText("root/sub/out.json", """{"title":"Out","images":["../../outside/photo.png"]}""");

        var items = new FolderRecordSource(_fixtures.PathOf("root")).ReadItems().ToList();

        Assert.Equal(_fixtures.PathOf("root/img/a.png"), items.Single(item => item.Record?.Id == "sub/in.json").Record!.Images[0].Path);
        var error = items.Single(item => item.IsError).Error!;
        Assert.Equal(escaping, error.SourcePath);
        Assert.Contains("is outside the folder", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsAnErrorForItsLineNamingTheByteOffset()
    {
        var first = "{\"id\":\"a\",\"title\":\"caf\u00e9\"}\n"u8.ToArray();
        var bad = "{\"id\":\"b\",\"title\":\"caf"u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}\n"u8.ToArray()).ToArray();
        var truncated = "{\"id\":\"c\",\"title\":\"x"u8.ToArray().Concat(new byte[] { 0xE2, 0x82 }).ToArray();
        var manifest = _fixtures.WriteBytes("records.jsonl", [.. first, .. bad, .. "{\"id\":\"d\"}\n"u8, .. truncated]);

        var items = new ManifestReader(manifest).ReadItems().ToList();

        Assert.Equal("café", items[0].Record!.Title);
        Assert.Equal($"{manifest}:2: invalid UTF-8 at byte {first.Length + 22} of the file (byte 22 of the line)", items[1].Error!.Message);
        Assert.Equal("d", items[2].Record!.Id);
        Assert.Contains("invalid UTF-8", items[3].Error!.Reason, StringComparison.Ordinal);
        Assert.Equal(4, items[3].Error!.LineNumber);
    }

    [Fact]
    public void AUtf16ManifestIsRefusedWholeWithTheReason()
    {
        var path = _fixtures.PathOf("utf16.jsonl");
        File.WriteAllText(path, "{\"id\":\"x\"}\n", System.Text.Encoding.Unicode);

        var error = Assert.Throws<ManifestException>(() => new ManifestReader(path).ReadItems().ToList());

        Assert.Contains("UTF-16", error.Reason, StringComparison.Ordinal);
    }
}
