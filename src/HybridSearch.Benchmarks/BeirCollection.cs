using System.Text.Json;

namespace HybridSearch.Benchmarks;

/// <summary>A text collection in BEIR layout: <c>corpus.jsonl</c> (<c>_id</c>, <c>title</c>, <c>text</c>),
/// <c>queries.jsonl</c> (<c>_id</c>, <c>text</c>) and, when present, <c>qrels/test.tsv</c>.</summary>
internal sealed record BeirCollection(
    string Directory,
    IReadOnlyList<BeirCollection.Document> Corpus,
    IReadOnlyList<BeirCollection.Query> Queries,
    IReadOnlyDictionary<string, Dictionary<string, int>> Qrels)
{
    public sealed record Document(string Id, string Title, string Text);

    public sealed record Query(string Id, string Text);

    public static BeirCollection Load(string directory)
    {
        var corpusPath = Path.Combine(directory, "corpus.jsonl");
        var queriesPath = Path.Combine(directory, "queries.jsonl");
        if (!File.Exists(corpusPath) || !File.Exists(queriesPath))
        {
            throw new BenchmarkArgumentException($"--collection: '{directory}' has no corpus.jsonl and queries.jsonl.");
        }

        var corpus = ReadJsonLines(corpusPath, e => new Document(Str(e, "_id")!, Str(e, "title") ?? string.Empty, Str(e, "text") ?? string.Empty));
        var queries = ReadJsonLines(queriesPath, e => new Query(Str(e, "_id")!, Str(e, "text") ?? string.Empty));
        var qrelsPath = Path.Combine(directory, "qrels", "test.tsv");
        return new BeirCollection(directory, corpus, queries, File.Exists(qrelsPath) ? IrMetrics.LoadQrels(qrelsPath) : new Dictionary<string, Dictionary<string, int>>());
    }

    private static List<T> ReadJsonLines<T>(string path, Func<JsonElement, T> map)
    {
        var result = new List<T>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                if (Str(json.RootElement, "_id") is null)
                {
                    throw new InvalidDataException($"{path}:{line}: no \"_id\".");
                }

                result.Add(map(json.RootElement));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{line}: {e.Message}");
            }
        }

        return result;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString() : null;
}
