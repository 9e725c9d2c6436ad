using System.Globalization;
using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Records;

namespace HybridSearch.Benchmarks;

/// <summary>
/// The soak's synthetic records. Each record is written whole at a version: its title says the version, its
/// metadata holds the version and how many images and chunks it has (copied onto every child, so a child of another
/// version is visible to a query), each image's path names the version, and each chunk carries a MiniLM vector of a
/// sentence from a fixed pool (embedded once, so writing costs no model time). Queries are a fixed pool of word pairs
/// and triples from the same vocabulary, so both the lexical and the semantic leg find records.
/// </summary>
internal sealed class SoakCorpus
{
    public const string VersionField = "version";
    public const string ImagesField = "images";
    public const string ChunksField = "chunks";
    public const string GroupField = "group";
    public const int Groups = 4;

    private static readonly string[] Words =
    [
        "harbour", "river", "mountain", "forest", "station", "train", "platform", "morning", "evening", "weather",
        "storm", "bridge", "market", "apple", "orange", "bread", "garden", "flower", "window", "house", "kitchen",
        "library", "museum", "painting", "portrait", "camera", "photo", "bicycle", "engine", "tractor", "harvest",
        "winter", "summer", "autumn", "spring", "island", "ocean", "sailor", "boat", "anchor", "lighthouse", "valley",
        "village", "castle", "tower", "clock", "bell", "church", "school", "teacher", "student", "lesson", "history",
        "science", "doctor", "patient", "scan", "heart", "lung", "bone", "music", "piano", "violin", "concert",
        "radio", "bulletin", "news", "letter", "stamp", "coin", "silver", "golden", "copper", "stone", "marble",
        "desert", "camel", "tiger", "eagle", "sparrow", "owl", "fox", "rabbit", "meadow", "cloud", "rain", "snow",
        "sunrise", "sunset", "candle", "lantern", "map", "compass", "journey", "road", "tunnel", "airport",
    ];

    private readonly string[] _sentences;
    private float[][] _sentenceVectors = [];

    public SoakCorpus(int seed)
    {
        var random = new Random(seed);
        _sentences = Enumerable.Range(0, 64).Select(_ => Phrase(random, 8 + random.Next(6))).ToArray();
        Queries = Enumerable.Range(0, 48).Select(_ => Phrase(random, 2 + random.Next(2))).ToArray();
    }

    /// <summary>The query texts, searched in random order by every query thread.</summary>
    public IReadOnlyList<string> Queries { get; }

    /// <summary>Embeds the sentence pool (needed only by the writer).</summary>
    public void EmbedSentences(ITextEmbedder embedder) => _sentenceVectors = embedder.Embed(_sentences).ToArray();

    /// <summary>The index declares one text vector field, recorded as written by <paramref name="embedder"/>, so the
    /// searcher's semantic leg accepts the query vectors of the same model.</summary>
    public static HybridIndexOptions IndexOptions(EmbedderInfo embedder) => HybridIndexOptions.Default.WithVectorField(
        IndexFieldNames.TextVector,
        new VectorFieldOptions(embedder.Dimension, embedder.Similarity) { Embedder = embedder.Name });

    public static string RecordId(int number) => $"r{number.ToString("D6", CultureInfo.InvariantCulture)}";

    public static string Title(string id, int version) => $"soak {id} version {version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The version a title names, or -1.</summary>
    public static int TitleVersion(string title)
    {
        var at = title.LastIndexOf(" version ", StringComparison.Ordinal);
        return at >= 0 && int.TryParse(title.AsSpan(at + 9), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    /// <summary>The folder every image path of the record at this version starts with.</summary>
    public static string ImageFolder(string id, int version) => $"soak/{id}/v{version.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>The record <paramref name="id"/> at <paramref name="version"/>: 1-3 images, 1-2 chunks.</summary>
    public IndexedRecord Build(string id, int version, Random random)
    {
        if (_sentenceVectors.Length == 0)
        {
            throw new InvalidOperationException("EmbedSentences first.");
        }

        var sentence = random.Next(_sentences.Length);
        var imageCount = 1 + random.Next(3);
        var chunkCount = 1 + random.Next(2);
        var title = Title(id, version);
        var text = _sentences[sentence];
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal)
        {
            [VersionField] = FieldValue.Number(version),
            [ImagesField] = FieldValue.Number(imageCount),
            [ChunksField] = FieldValue.Number(chunkCount),
            [GroupField] = FieldValue.Keyword($"g{random.Next(Groups).ToString(CultureInfo.InvariantCulture)}"),
        };
        var images = Enumerable.Range(0, imageCount).Select(i => new IndexedImage(
            $"{ImageFolder(id, version)}image-{i.ToString(CultureInfo.InvariantCulture)}.png",
            _sentences[random.Next(_sentences.Length)],
            new Dictionary<string, float[]>()));

        // Chunks cut the record's chunk source (title, newline, text) into consecutive spans.
        var source = title.Length + 1 + text.Length;
        var chunks = Enumerable.Range(0, chunkCount).Select(i => new IndexedChunk(
            source * i / chunkCount,
            source * (i + 1) / chunkCount,
            _sentenceVectors[(sentence + i) % _sentenceVectors.Length]));
        return new IndexedRecord(id, title, text, fields, images, chunks: chunks);
    }

    private static string Phrase(Random random, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
}
