using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>latency --collection DIR [--rounds 3]</c>: indexes the collection, warms up with one pass over the queries, then
/// times every query <c>--rounds</c> times (sequentially, default options: page 10, window 100, snippets on) for each
/// leg alone and for all text legs on (lexical, semantic text, transcript, concurrent). Prints p50/p95 wall-clock per
/// configuration, the query-embedding p50 separately, and <c>fused_p50 / slowest_single_p50</c> last as JSON.
/// The visual leg needs query images, which a text collection does not have, so it is not part of this measurement.
/// </summary>
internal static class LatencyBenchmark
{
    private static readonly Option<string> CollectionOption = BenchmarkOptions.Text("--collection", "BEIR-style collection directory.", required: true);
    private static readonly Option<int> RoundsOption = BenchmarkOptions.Int("--rounds", 3, "Times every query is run per configuration.", min: 1);

    public static Command CreateCommand()
    {
        var command = new Command("latency", "p50/p95 latency of each leg alone and of all text legs fused.")
        {
            CollectionOption, RoundsOption,
        };
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    public static async Task RunAsync(ParseResult args)
    {
        var collection = BeirCollection.Load(args.GetRequiredValue(CollectionOption));
        var rounds = args.GetValue(RoundsOption);
        using var beir = await Task.Run(() => BeirIndex.Build(collection));
        BeirIndex.Log($"indexed {collection.Corpus.Count} documents in {beir.IndexSeconds:F1} s");

        var configurations = new (string Name, HybridSearchOptions Options)[]
        {
            ("lexical", HybridSearchOptions.Default.WithLegs(SearchLeg.Lexical)),
            ("semantic", HybridSearchOptions.Default.WithLegs(SearchLeg.SemanticText)),
            ("transcript", HybridSearchOptions.Default.WithLegs(SearchLeg.Transcript)),
            ("all", HybridSearchOptions.Default),
        };
        foreach (var (_, options) in configurations)
        {
            foreach (var query in collection.Queries)
            {
                await beir.Searcher.SearchAsync(HybridQuery.ForText(query.Text), options);
            }
        }

        var report = new Dictionary<string, object>();
        var p50s = new Dictionary<string, double>();
        foreach (var (name, options) in configurations)
        {
            var totals = new List<double>();
            var embeddings = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var query in collection.Queries)
                {
                    var watch = Stopwatch.StartNew();
                    var results = await beir.Searcher.SearchAsync(HybridQuery.ForText(query.Text), options);
                    totals.Add(watch.Elapsed.TotalMilliseconds);
                    embeddings.Add(results.Timings.Sum(t => t.Embedding.TotalMilliseconds));
                }
            }

            var p50 = Percentile(totals, 0.5);
            p50s[name] = p50;
            report[name] = new
            {
                p50_ms = Math.Round(p50, 2),
                p95_ms = Math.Round(Percentile(totals, 0.95), 2),
                embed_p50_ms = Math.Round(Percentile(embeddings, 0.5), 2),
                search_p50_ms = Math.Round(Percentile(totals.Zip(embeddings, (t, e) => t - e).ToList(), 0.5), 2),
            };
            BeirIndex.Log($"{name}: {JsonSerializer.Serialize(report[name])}");
        }

        var slowest = new[] { "lexical", "semantic", "transcript" }.Max(n => p50s[n]);
        report["queries"] = collection.Queries.Count * rounds;
        report["fused_over_slowest_leg_p50"] = Math.Round(p50s["all"] / slowest, 3);
        Console.WriteLine(JsonSerializer.Serialize(report));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
