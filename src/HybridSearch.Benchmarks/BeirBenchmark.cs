using System.CommandLine;
using System.Text.Json;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>beir --collection DIR --leg bm25|dense|hybrid --run OUT.trec [--top 1000]</c>: indexes <c>corpus.jsonl</c> into a
/// fresh index on disk (<see cref="BeirIndex"/>), runs <c>queries.jsonl</c> through <see cref="HybridSearcher"/>
/// (<c>bm25</c> = lexical leg only, <c>dense</c> = semantic text leg only, <c>hybrid</c> = both, default fusion),
/// writes a TREC run of up to <c>--top</c> hits per query and prints <c>{"index_s":..,"qps":..}</c> last (with the
/// collection's MAP / nDCG@10 / R@100 when it has qrels, computed as ir_metrics.py does).
/// </summary>
internal static class BeirBenchmark
{
    private static readonly Option<string> CollectionOption = BenchmarkOptions.Text("--collection", "BEIR-style collection directory (corpus.jsonl, queries.jsonl, qrels/test.tsv).", required: true);
    private static readonly Option<string> LegOption = BenchmarkOptions.Text("--leg", "bm25, dense or hybrid.", required: true);
    private static readonly Option<string> RunOption = BenchmarkOptions.Text("--run", "The TREC run file to write.", required: true);
    private static readonly Option<int> TopOption = BenchmarkOptions.Int("--top", 1000, "Hits per query in the run.", min: 1);

    public static Command CreateCommand()
    {
        var command = new Command("beir", "Index a BEIR-style collection, run its queries on one leg or both, write a TREC run and print the scores.")
        {
            CollectionOption, LegOption, RunOption, TopOption,
        };
        command.SetAction((parse, _) => Task.Run(() => Run(parse)));
        return command;
    }

    public static void Run(ParseResult args)
    {
        var leg = args.GetRequiredValue(LegOption);
        var top = args.GetValue(TopOption);
        var options = Options(leg, top);
        var collection = BeirCollection.Load(args.GetRequiredValue(CollectionOption));
        var runPath = args.GetRequiredValue(RunOption);

        using var beir = BeirIndex.Build(collection);
        BeirIndex.Log($"indexed {collection.Corpus.Count} documents in {beir.IndexSeconds:F1} s; running {collection.Queries.Count} queries ({leg})");
        var (run, seconds) = beir.RunQueries(collection, i => HybridQuery.ForText(collection.Queries[i].Text), options);
        BeirIndex.WriteTrec(runPath, run, $"hybridsearch-{leg}");

        var summary = new Dictionary<string, object>
        {
            ["leg"] = leg,
            ["documents"] = collection.Corpus.Count,
            ["queries"] = collection.Queries.Count,
        };
        if (collection.Qrels.Count > 0)
        {
            var scores = IrMetrics.Compute(collection.Qrels, BeirIndex.Ranked(run));
            summary["MAP"] = scores.Map;
            summary["nDCG@10"] = scores.Ndcg10;
            summary["R@100"] = scores.Recall100;
        }

        summary["index_s"] = Math.Round(beir.IndexSeconds, 2);
        summary["qps"] = Math.Round(collection.Queries.Count / seconds, 1);
        Console.WriteLine(JsonSerializer.Serialize(summary));
    }

    /// <summary>Search options of a <c>--leg</c>: one page of <paramref name="top"/> hits, every leg's window
    /// <paramref name="top"/>, ids and scores only.</summary>
    public static HybridSearchOptions Options(string leg, int top)
    {
        var options = HybridSearchOptions.Default with { Offset = 0, PageSize = top, CandidateWindow = top, HitDetails = false };
        return leg switch
        {
            "bm25" => options.WithLegs(SearchLeg.Lexical),
            "dense" => options.WithLegs(SearchLeg.SemanticText),
            "hybrid" => options.WithLegs(SearchLeg.Lexical, SearchLeg.SemanticText),
            _ => throw new BenchmarkArgumentException($"--leg: '{leg}' is not bm25, dense or hybrid."),
        };
    }
}
