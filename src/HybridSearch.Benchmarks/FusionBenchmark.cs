using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Fusion;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>fusion --collection DIR [--out DIR] [--top 1000] [--methods a,b] [--offtopic TEXT] [--save-legs DIR]</c>: indexes the collection
/// once, then runs every query through <see cref="HybridSearcher"/> for each leg alone and for each fusion method (RRF
/// k = 10, 60, 100; min-max; z-score; theoretical min-max; bounded with corroboration (the default); bounded without
/// it), five ways: both legs on the real query; a weak dense leg (the semantic leg gets the text of an unrelated query:
/// the one half the query list away); a weak BM25 leg (the lexical leg gets the unrelated text, the semantic leg the
/// real one); and the same two with an off-topic text (<c>--offtopic</c>, default <see cref="DefaultOffTopic"/>) as
/// the weak leg. Scores each run as ir_metrics.py does, writes the runs to <c>--out</c> when
/// given, prints one JSON line per run and a summary JSON line last. <c>--save-legs DIR</c> also saves the legs of each
/// of the five ways (<c>NAME_hybrid</c>, <c>_weakdense</c>, <c>_weakbm25</c>, <c>_offdense</c>, <c>_offbm25</c>, judged
/// queries only, relevant = qrels grade above 0) for <c>fusion-signals --legs</c>. The weak-leg ratio is fused nDCG@10 divided by
/// the strong leg's alone (BM25 for a weak dense leg, dense for a weak BM25 leg).
/// </summary>
internal static class FusionBenchmark
{
    public static readonly (string Name, FusionMethod Method, double K)[] Methods =
    [
        ("rrf10", FusionMethod.ReciprocalRank, 10),
        ("rrf60", FusionMethod.ReciprocalRank, 60),
        ("rrf100", FusionMethod.ReciprocalRank, 100),
        ("minmax", FusionMethod.MinMax, 60),
        ("zscore", FusionMethod.ZScore, 60),
        ("tmm", FusionMethod.TheoreticalMinMax, 60),
        ("bounded", FusionMethod.BoundedScore, 60),
        ("bounded-plain", FusionMethod.BoundedScore, 60),
    ];

    /// <summary>The default off-topic text: about nothing in MED, CISI, Cranfield or COCO's captions.</summary>
    public const string DefaultOffTopic = "recipe for chocolate chip cookies with brown butter and sea salt";

    private static readonly Option<string> CollectionOption = BenchmarkOptions.Text("--collection", "BEIR-style collection directory with qrels.", required: true);
    private static readonly Option<string> OutOption = BenchmarkOptions.Text("--out", "Directory for the TREC runs of every method.");
    private static readonly Option<int> TopOption = BenchmarkOptions.Int("--top", 1000, "Hits per query.", min: 1);
    private static readonly Option<string> MethodsOption = BenchmarkOptions.Text("--methods", "Fusion methods to measure, a comma list (default all).");
    private static readonly Option<string> OffTopicOption = BenchmarkOptions.Text("--offtopic", "The off-topic text of the weak-leg cases.");
    private static readonly Option<string> SaveLegsOption = BenchmarkOptions.Text("--save-legs", "Directory to save the legs of the five ways in (for fusion-signals --legs).");

    public static Command CreateCommand()
    {
        var command = new Command("fusion", "nDCG@10 / MRR of every fusion method on real and weak legs of a collection.")
        {
            CollectionOption, OutOption, TopOption, MethodsOption, OffTopicOption, SaveLegsOption,
        };
        command.SetAction((parse, _) => Task.Run(() => Run(parse)));
        return command;
    }

    public static void Run(ParseResult args)
    {
        var collection = BeirCollection.Load(args.GetRequiredValue(CollectionOption));
        var outDir = args.GetValue(OutOption);
        var top = args.GetValue(TopOption);
        if (collection.Qrels.Count == 0)
        {
            throw new BenchmarkArgumentException($"--collection: '{collection.Directory}' has no qrels/test.tsv to score against.");
        }

        using var beir = BeirIndex.Build(collection);
        BeirIndex.Log($"indexed {collection.Corpus.Count} documents in {beir.IndexSeconds:F1} s");
        var queries = collection.Queries;
        string Unrelated(int i) => queries[(i + queries.Count / 2) % queries.Count].Text;

        // A text unrelated to the collection's subject as a whole (the other weak leg kind: a stray or nonsense query),
        // as opposed to Unrelated, which is another real query of the same collection.
        var offTopic = args.GetValue(OffTopicOption) ?? DefaultOffTopic;
        HybridQuery Real(int i) => HybridQuery.ForText(queries[i].Text);
        HybridQuery WeakDense(int i) => HybridQuery.ForText(queries[i].Text).WithSemanticText(Unrelated(i));
        HybridQuery WeakBm25(int i) => HybridQuery.ForText(Unrelated(i)).WithSemanticText(queries[i].Text);
        HybridQuery OffTopicDense(int i) => HybridQuery.ForText(queries[i].Text).WithSemanticText(offTopic);
        HybridQuery OffTopicBm25(int i) => HybridQuery.ForText(offTopic).WithSemanticText(queries[i].Text);
        var only = args.GetValue(MethodsOption)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var table = new Dictionary<string, IrMetrics.Scores>(StringComparer.Ordinal);
        IrMetrics.Scores Measure(string name, Func<int, HybridQuery> query, HybridSearchOptions options)
        {
            var (run, seconds) = beir.RunQueries(collection, query, options);
            if (outDir is not null)
            {
                BeirIndex.WriteTrec(Path.Combine(outDir, name + ".trec"), run, name);
            }

            var scores = IrMetrics.Compute(collection.Qrels, BeirIndex.Ranked(run));
            table[name] = scores;
            Console.WriteLine(JsonSerializer.Serialize(new { run = name, scores.Map, nDCG10 = scores.Ndcg10, R100 = scores.Recall100, qps = Math.Round(queries.Count / seconds, 1) }));
            return scores;
        }

        if (args.GetValue(SaveLegsOption) is { } saveTo)
        {
            var prefix = Path.GetFileName(Path.TrimEndingDirectorySeparator(collection.Directory));
            var ways = new (string Name, Func<int, HybridQuery> Query)[]
            {
                ("hybrid", Real), ("weakdense", WeakDense), ("weakbm25", WeakBm25), ("offdense", OffTopicDense), ("offbm25", OffTopicBm25),
            };
            System.IO.Directory.CreateDirectory(saveTo);
            foreach (var (way, query) in ways)
            {
                var entries = new List<SavedLegsFile.Entry>();
                for (var i = 0; i < queries.Count; i++)
                {
                    if (collection.Qrels.TryGetValue(queries[i].Id, out var judged) && judged.Any(j => j.Value > 0))
                    {
                        var relevant = judged.Where(j => j.Value > 0).Select(j => j.Key).ToHashSet(StringComparer.Ordinal);
                        entries.Add(new SavedLegsFile.Entry(queries[i].Id, relevant, beir.Searcher.RankLegsAsync(query(i), BeirBenchmark.Options("hybrid", top)).GetAwaiter().GetResult()));
                    }
                }

                SavedLegsFile.Write(Path.Combine(saveTo, $"{prefix}_{way}.legs.jsonl"), entries);
            }
        }

        var bm25 = Measure("bm25", Real, BeirBenchmark.Options("bm25", top));
        var dense = Measure("dense", Real, BeirBenchmark.Options("dense", top));
        var hybrid = BeirBenchmark.Options("hybrid", top);
        var summary = new List<object>();
        foreach (var (name, method, k) in Methods)
        {
            if (only is not null && !only.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var options = hybrid.WithFusion(method, k);
            if (name == "bounded-plain")
            {
                options = options with { Fusion = options.Fusion with { Corroboration = false } };
            }

            var both = Measure($"hybrid-{name}", Real, options);
            var weakDense = Measure($"weakdense-{name}", WeakDense, options);
            var weakBm25 = Measure($"weakbm25-{name}", WeakBm25, options);
            var offDense = Measure($"offdense-{name}", OffTopicDense, options);
            var offBm25 = Measure($"offbm25-{name}", OffTopicBm25, options);
            summary.Add(new
            {
                method = name,
                map = both.Map,
                ndcg10 = both.Ndcg10,
                beats_both_legs = both.Ndcg10 > bm25.Ndcg10 && both.Ndcg10 > dense.Ndcg10,
                weak_dense_ratio = Math.Round(weakDense.Ndcg10 / bm25.Ndcg10, 3),
                weak_bm25_ratio = Math.Round(weakBm25.Ndcg10 / dense.Ndcg10, 3),
                offtopic_dense_ratio = Math.Round(offDense.Ndcg10 / bm25.Ndcg10, 3),
                offtopic_bm25_ratio = Math.Round(offBm25.Ndcg10 / dense.Ndcg10, 3),
            });
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            collection = Path.GetFileName(Path.TrimEndingDirectorySeparator(collection.Directory)),
            bm25 = new { map = bm25.Map, ndcg10 = bm25.Ndcg10 },
            dense = new { map = dense.Map, ndcg10 = dense.Ndcg10 },
            fusion = summary,
            index_s = Math.Round(beir.IndexSeconds, 2),
            top = top.ToString(CultureInfo.InvariantCulture),
        }));
    }
}
