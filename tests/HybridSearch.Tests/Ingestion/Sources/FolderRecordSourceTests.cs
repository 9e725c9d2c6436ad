using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Records;
using NAudio.Wave;

namespace HybridSearch.Tests.Ingestion.Sources;

public sealed class FolderRecordSourceTests : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public void WalksInOrderAttachesSidecarsAndDoesNotIndexThemAsText()
    {
        _fixtures.WriteBytes("b/photo.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteText("b/photo.txt", "  A red boat \n");
        _fixtures.WriteText("b/photo.json", """{"title":"Boat","fields":{"year":1999,"taken":"2020-05-01"}}""");
        _fixtures.WriteWav("a/talk.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 0.2));
        _fixtures.WriteText("a/talk.srt", "1\n00:00:00,000 --> 00:00:00,200\nhello\n");
        _fixtures.WriteText("notes.md", "\n# Search notes\n\nBody *text*.\n");
        _fixtures.WriteText("z.json", """{"title":"From JSON","fields":{"k":"v"}}""");
        _fixtures.WriteText("a/readme.txt", "Title line\nrest of it");
        _fixtures.WriteText(".hidden/x.txt", "hidden");
        _fixtures.WriteText("ignored.csv", "a,b");

        var items = new FolderRecordSource(_fixtures.Root).ReadItems().ToList();

        Assert.All(items, item => Assert.False(item.IsError, item.ToString()));
        Assert.Equal(["notes.md", "z.json", "a/readme.txt", "a/talk.wav", "b/photo.png"], items.Select(item => item.Record!.Id));
        var notes = items[0].Record!;
        Assert.Equal(("Search notes", "Body *text*."), (notes.Title, notes.Text));
        Assert.Equal(FieldValue.Keyword("v"), items[1].Record!.Fields["k"]);
        Assert.Equal(("Title line", "rest of it"), (items[2].Record!.Title, items[2].Record!.Text));
        var talk = items[3].Record!;
        Assert.Equal(_fixtures.PathOf("a/talk.srt"), Assert.Single(talk.Audio).TranscriptPath);
        var photo = items[4].Record!;
        var image = Assert.Single(photo.Images);
        Assert.Equal(("A red boat", "Boat"), (image.Caption, photo.Title));
        Assert.Equal(FieldValue.Number(1999), photo.Fields["year"]);
        Assert.Equal(FieldKind.Date, image.Metadata["taken"].Kind);
    }

    [Fact]
    public async Task ACorpusOfBrokenFilesReportsEveryBadItemAndParsesEveryGoodOne()
    {
        var png = IngestionFixtures.PngBytes(32, 32);
        var jpeg = IngestionFixtures.JpegBytes(32, 32);
        _fixtures.WriteBytes("good.png", png);
        _fixtures.WriteBytes("good.jpg", jpeg);
        _fixtures.WriteBytes("png-named.jpg", png);
        _fixtures.WriteWav("good.wav", new WaveFormat(44100, 16, 2), IngestionFixtures.Sine(440, 44100, 0.5));
        _fixtures.WriteBytes("zero.png", []);
        _fixtures.WriteBytes("cut.png", png[..(png.Length / 2)]);
        _fixtures.WriteBytes("cut.jpg", jpeg[..(jpeg.Length / 3)]);
        _fixtures.WriteText("text.png", "not an image at all");
        _fixtures.WriteBytes("bomb.png", IngestionFixtures.PngHeaderOnly(60000, 60000));
        _fixtures.WriteText("text.wav", "not audio either");
        _fixtures.WriteBytes("zero.wav", []);
        _fixtures.WriteText("bad.json", """{"title": "x", """);
        _fixtures.WriteText("missing.json", """{"images":["nowhere.png"]}""");
        _fixtures.WriteText("zdup.json", """{"id":"good.png"}""");
        var expectedBad = new[] { "bad.json", "bomb.png", "cut.jpg", "cut.png", "missing.json", "text.png", "text.wav", "zdup.json", "zero.png", "zero.wav" };
        var expectedGood = new[] { "good.jpg", "good.png", "good.wav", "png-named.jpg" };

        var images = new BoundedImageDecoder();
        var audio = new AudioClipDecoder();
        var bad = new Dictionary<string, string>();
        var good = new List<string>();
        foreach (var item in new FolderRecordSource(_fixtures.Root).ReadItems())
        {
            if (item.Error is { } error)
            {
                bad[Path.GetFileName(error.SourcePath)] = error.Reason;
                continue;
            }

            try
            {
                foreach (var image in item.Record!.Images)
                {
                    using var decoded = await images.DecodeAsync(image.Path);
                }

                foreach (var clip in item.Record!.Audio)
                {
                    Assert.Equal(8000, audio.Decode(clip.Path).Samples.Length);
                }

                good.Add(item.Record.Id);
            }
            catch (MediaDecodeException exception)
            {
                Assert.Equal(exception.SourcePath, item.Record!.Images.FirstOrDefault()?.Path ?? item.Record.Audio[0].Path);
                bad[Path.GetFileName(exception.SourcePath)] = exception.Reason;
            }
        }

        Assert.Equal(expectedGood, good.Order(StringComparer.Ordinal));
        Assert.Equal(expectedBad, bad.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("EmptyFile", bad["zero.png"]);
        Assert.StartsWith("Truncated", bad["cut.png"]);
        Assert.StartsWith("Truncated", bad["cut.jpg"]);
        Assert.StartsWith("UnsupportedFormat", bad["text.png"]);
        Assert.StartsWith("TooLarge", bad["bomb.png"]);
        Assert.StartsWith("UnsupportedFormat", bad["text.wav"]);
        Assert.StartsWith("EmptyFile", bad["zero.wav"]);
        Assert.Contains("malformed JSON", bad["bad.json"]);
        Assert.Contains("nowhere.png", bad["missing.json"]);
        Assert.Contains("duplicate id 'good.png'", bad["zdup.json"]);
    }
}
