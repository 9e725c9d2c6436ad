using System.Text.Json;
using HybridSearch.Fusion;

namespace HybridSearch.Benchmarks;

/// <summary>
/// Each judged query's ranked legs as one JSON line (<c>id</c>, <c>relevant</c>, <c>legs</c>: name, weight, bounds,
/// input, content, whether it matches terms (<c>terms</c>, BM25) and hits as <c>[key, score]</c>), so fusion variants can be re-fused later without running the
/// embedders again (<c>fusion-signals --save-legs</c> writes it, <c>--legs</c> reads it).
/// </summary>
internal static class SavedLegsFile
{
    /// <summary>One saved query.</summary>
    public sealed record Entry(string Id, HashSet<string> Relevant, IReadOnlyList<RankedLeg> Legs);

    public static void Write(string path, IEnumerable<Entry> entries)
    {
        using var writer = new StreamWriter(path);
        foreach (var entry in entries)
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                id = entry.Id,
                relevant = entry.Relevant.Order(StringComparer.Ordinal).ToArray(),
                legs = entry.Legs.Select(l => new
                {
                    name = l.Name,
                    weight = l.Weight,
                    min = l.MinScore,
                    tmin = l.TheoreticalMinScore,
                    tmax = l.TheoreticalMaxScore,
                    input = l.QueryInput,
                    content = l.SearchedContent,
                    terms = l.MatchesTerms,
                    sentence = l.QueryAsLongAsRecords,
                    hits = l.Hits.Select(h => new object[] { h.Key, h.Score }).ToArray(),
                }).ToArray(),
            }));
        }
    }

    public static List<Entry> Read(string path)
    {
        var entries = new List<Entry>();
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
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                var legs = new List<RankedLeg>();
                foreach (var leg in root.GetProperty("legs").EnumerateArray())
                {
                    var hits = leg.GetProperty("hits").EnumerateArray().Select(h => new LegHit(h[0].GetString()!, h[1].GetSingle())).ToList();
                    legs.Add(new RankedLeg(
                        leg.GetProperty("name").GetString()!,
                        hits,
                        leg.GetProperty("weight").GetSingle(),
                        Nullable(leg, "min"),
                        Nullable(leg, "tmin"),
                        Nullable(leg, "tmax"),
                        leg.GetProperty("input").GetString(),
                        leg.GetProperty("content").GetString(),
                        MatchesTerms(leg),
                        leg.TryGetProperty("sentence", out var sentence) && sentence.ValueKind == JsonValueKind.True));
                }

                entries.Add(new Entry(
                    root.GetProperty("id").GetString()!,
                    root.GetProperty("relevant").EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal),
                    legs));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
            {
                throw new BenchmarkArgumentException($"{path}:{line}: not a saved-legs line ({e.Message}).");
            }
        }

        return entries;
    }

    /// <summary>The leg's <c>terms</c> flag; files saved before it existed name BM25 legs Lexical or Transcript.</summary>
    private static bool MatchesTerms(JsonElement leg) =>
        leg.TryGetProperty("terms", out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : leg.GetProperty("name").GetString() is "Lexical" or "Transcript";

    private static float? Nullable(JsonElement leg, string name) =>
        leg.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetSingle() : null;
}
