using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Records;
using HybridSearch.Tests.Embedding;
using HybridSearch.Vectors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Querying;

/// <summary>
/// A small real index on disk, built once for the read-only searcher tests: topic records with images, a record
/// with three images, a podcast with timed transcript segments, and 30 catalogue items for paging and filters.
/// Text chunks are embedded with MiniLM and images with ResNet18, exactly as ingestion would.
/// </summary>
public sealed class HybridSearchFixture : IDisposable
{
    public static readonly Rgb24 Red = new(220, 30, 30);
    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public HybridSearchFixture()
    {
        TextEmbedder = TestModels.Text;
        ImageEmbedder = TestModels.Images;
        ImageDirectory = _directory.Combine("images");
        Directory.CreateDirectory(ImageDirectory);
        Index = HybridIndex.Open(_directory.Combine("index"), IndexOptions(TextEmbedder.Info, ImageEmbedder.Info));
        var records = new List<(string Id, string Title, string Text, Dictionary<string, FieldValue> Fields, List<(string Name, Image<Rgb24> Image, string? Caption)> Images, List<IndexedSegment> Segments)>
        {
            ("bike", "Fixing a flat bicycle tyre", "Remove the wheel, find the puncture in the inner tube, patch it and pump the tyre back up before you ride again.",
                Fields("red", 25, 400), [("bike.png", TestImages.SquareOnGrey(Red, 0), "a red bicycle frame")], []),
            ("bread", "Sourdough bread at home", "Mix flour, water and a starter, let the dough rise overnight and bake it in a hot oven until the crust is dark.",
                Fields("brown", 8, 500), [("bread.png", TestImages.Noise(200, 200, 1), null)], []),
            ("rome", "The fall of the Roman Empire", "Historians still debate why the western empire collapsed in the fifth century: invasions, economy and politics.",
                Fields("purple", 40, 600), [("rome.png", TestImages.BlueStripes(), "striped banner")], []),
            ("gallery", "Gallery of paintings", "Three canvases from the studio, shown together.",
                Fields("red", 300, 700),
                [("gallery-0.png", TestImages.SquareOnGrey(new Rgb24(30, 160, 40), 0), "green canvas"),
                 ("gallery-1.png", TestImages.SquareOnGrey(new Rgb24(200, 25, 25), 10), "crimson canvas"),
                 ("gallery-2.png", TestImages.SquareOnGrey(new Rgb24(120, 10, 10), 20), "dark canvas")], []),
            ("podcast", "Weekly science podcast", "An episode about space.", Fields("black", 0, 800), [],
                [new("audio/ep1.wav", 0, 5_000, "welcome to the show today we talk about the night sky"),
                 new("audio/ep1.wav", 5_000, 12_000, "astronomers photographed the shadow of a black hole in a distant galaxy"),
                 new("audio/ep1.wav", 12_000, 20_000, "next week we discuss volcanoes and earthquakes")]),
        };
        for (var i = 0; i < 30; i++)
        {
            records.Add(($"item-{i:D2}", $"Catalogue item {i}", $"A plain catalogue widget, number {i} of the series, sold in boxes.",
                Fields(ItemColour(i), i, i), [($"item-{i:D2}.png", TestImages.Noise(64, 64, 100 + i), null)], []));
        }

        var chunks = TextEmbedder.EmbedChunks(records.Select(r => new IndexedRecord(r.Id, r.Title, r.Text).ChunkSource).ToList());
        var images = records.SelectMany(r => r.Images).ToList();
        var imageVectors = ImageEmbedder.Embed(images.Select(i => i.Image).ToList());
        var imageVector = images.Select((image, i) => (image.Name, imageVectors[i])).ToDictionary(p => p.Name, p => p.Item2);
        for (var r = 0; r < records.Count; r++)
        {
            var (id, title, text, fields, recordImages, segments) = records[r];
            foreach (var (name, image, _) in recordImages)
            {
                image.SaveAsPng(ImagePath(name));
            }

            Index.Upsert(new IndexedRecord(
                id, title, text, fields,
                recordImages.Select(i => new IndexedImage(ImagePath(i.Name), i.Caption, new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = imageVector[i.Name] })),
                segments,
                Chunks(chunks[r])));
        }

        foreach (var image in images)
        {
            image.Image.Dispose();
        }

        Index.Commit();
        Index.Refresh();
    }

    public HybridIndex Index { get; }

    public MiniLMTextEmbedder TextEmbedder { get; }

    public ResNet18ImageEmbedder ImageEmbedder { get; }

    public string ImageDirectory { get; }

    public static string ItemColour(int i) => (i % 3) switch { 0 => "red", 1 => "blue", _ => "green" };

    public static HybridIndexOptions IndexOptions(EmbedderInfo text, EmbedderInfo image) =>
        HybridIndexOptions.Default
            .WithVectorField(IndexFieldNames.TextVector, new VectorFieldOptions(text.Dimension, VectorSimilarity.Cosine) { Embedder = text.Name })
            .WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(image.Dimension, VectorSimilarity.Cosine) { Embedder = image.Name });

    public static Dictionary<string, FieldValue> Fields(string colour, double price, int day) => new()
    {
        ["colour"] = FieldValue.Keyword(colour),
        ["price"] = FieldValue.Number(price),
        ["listed"] = FieldValue.Date(Epoch.AddDays(day)),
    };

    public static IEnumerable<IndexedChunk> Chunks(IReadOnlyList<TextChunkEmbedding> chunks) =>
        chunks.Select(c => new IndexedChunk(c.Start, c.Start + c.Length, c.Vector));

    public string ImagePath(string name) => Path.Combine(ImageDirectory, name);

    public void Dispose()
    {
        Index.Dispose();
        _directory.Dispose();
    }
}
