using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Records;
using HybridSearch.Vectors;

namespace HybridSearch.Cluster.Tests;

/// <summary>A seeded synthetic corpus: records of words drawn from a skewed vocabulary (so BM25 statistics differ
/// strongly between shards), a keyword field, and text vectors from <see cref="HashingTextEmbedder"/>.</summary>
internal static class TestCorpus
{
    public static readonly string[] Vocabulary = Enumerable.Range(0, 120).Select(i => $"w{i}").Concat(
        ["heart", "lung", "kidney", "blood", "pressure", "cell", "tumour", "growth", "library", "catalogue", "index", "search", "aircraft", "wing", "flow", "boundary", "layer", "shock", "wave", "pressure"]).ToArray();

    public static IReadOnlyDictionary<string, VectorFieldOptions> VectorFields { get; } = new Dictionary<string, VectorFieldOptions>
    {
        [IndexFieldNames.TextVector] = new(HashingTextEmbedder.Dimension, VectorSimilarity.Cosine) { Embedder = HashingTextEmbedder.Name },
    };

    public static HybridIndexOptions IndexOptions => HybridIndexOptions.Default.WithVectorField(IndexFieldNames.TextVector, VectorFields[IndexFieldNames.TextVector]);

    public static List<IndexedRecord> Records(int count, int seed = 7, string idPrefix = "rec")
    {
        var random = new Random(seed);
        var embedder = new HashingTextEmbedder();
        var records = new List<IndexedRecord>(count);
        for (var i = 0; i < count; i++)
        {
            // Zipf-like: low word numbers are common, the named words rarer, so idf spans a wide range.
            var length = 5 + random.Next(40);
            var words = Enumerable.Range(0, length).Select(_ => Vocabulary[(int)Math.Min(Vocabulary.Length - 1, Math.Floor(Math.Pow(random.NextDouble(), 2.2) * Vocabulary.Length))]);
            var text = string.Join(' ', words);
            var title = $"{Vocabulary[random.Next(Vocabulary.Length)]} {Vocabulary[random.Next(Vocabulary.Length)]}";
            var source = title + "\n" + text;
            var fields = new Dictionary<string, FieldValue> { ["topic"] = FieldValue.Keyword(i % 3 == 0 ? "a" : "b") };
            records.Add(new IndexedRecord($"{idPrefix}-{i:D4}", title, text, fields, chunks: [new IndexedChunk(0, source.Length, embedder.Embed([source])[0])]));
        }

        return records;
    }

    public static IEnumerable<string> Queries()
    {
        yield return "heart blood pressure";
        yield return "library catalogue search";
        yield return "boundary layer flow";
        yield return "shock wave aircraft wing";
        yield return "w1 w7 tumour";
        yield return "cell growth";
        yield return "kidney";
        yield return "\"w0 w1\" heart";
        yield return "w3 w50 w99 index";
        yield return "lung heart kidney cell";
    }
}
