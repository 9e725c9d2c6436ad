using System.Text.Json;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// Judged queries for the benchmarks: the <c>search --queries</c> line format (<c>id</c>, <c>text</c>, <c>images</c>,
/// image paths relative to the file) plus <c>"relevant": ["record id", ...]</c>.
/// </summary>
internal static class JudgedQueryFile
{
    /// <summary>Reads every line of <paramref name="path"/> into a query and its relevant record ids.</summary>
    public static List<(string Id, HybridQuery Query, HashSet<string> Relevant)> Read(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var queries = new List<(string, HybridQuery, HashSet<string>)>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var query = HybridQuery.Empty;
            if (root.TryGetProperty("text", out var words) && words.GetString() is { Length: > 0 } t)
            {
                query = query.WithText(t);
            }

            if (root.TryGetProperty("images", out var images))
            {
                foreach (var image in images.EnumerateArray())
                {
                    query = query.WithImage(QueryImage.FromFile(Path.Combine(folder, image.GetString()!)));
                }
            }

            var relevant = root.TryGetProperty("relevant", out var ids)
                ? ids.EnumerateArray().Select(i => i.GetString()!).ToHashSet(StringComparer.Ordinal)
                : throw new BenchmarkArgumentException($"{path}:{line}: no \"relevant\" list.");
            queries.Add((root.GetProperty("id").GetString()!, query, relevant));
        }

        return queries;
    }
}
