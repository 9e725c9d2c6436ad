using System.CommandLine;
using System.Text.Json;
using HybridSearch.Embedding;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>fusion-signals --index DIR --queries J1.jsonl[,J2.jsonl...]</c>: for each file of judged queries (see
/// <see cref="JudgedQueryFile"/>), runs each query's legs once (<see cref="HybridSearcher.RankLegsAsync"/>) and prints,
/// per leg, its MRR@10 alone and the per-query signals of <see cref="ScoreFusion.Signals"/> split by whether the leg
/// found the relevant record in its first 3 ("discriminating") or not in its first 10, with the AUC of each signal for
/// telling the two apart; then the MRR@10 and nDCG@10 of fusion variants re-fused in memory from the same legs. One JSON
/// line per file and leg; what the default fusion's discrimination rule was chosen from. <c>--save-legs DIR</c> also
/// saves each file's legs (<see cref="SavedLegsFile"/>), and <c>--legs NAME.legs.jsonl[,...]</c> reads saved legs instead
/// of running the searcher (no index or embedders needed); <c>--tune K [--metric ndcg_at_10]</c> prints instead what
/// <c>hybridsearch tune</c> would (<see cref="FusionTuner.Fit"/> with K folds) for those legs.
/// </summary>
internal static class FusionSignalsBenchmark
{
    private static readonly Option<string> IndexOption = BenchmarkOptions.Text("--index", "The index to run the judged queries on.");
    private static readonly Option<string> QueriesOption = BenchmarkOptions.Text("--queries", "Judged query files (.jsonl), a comma list.");
    private static readonly Option<string> SaveLegsOption = BenchmarkOptions.Text("--save-legs", "Directory to save each file's legs in.");
    private static readonly Option<string> LegsOption = BenchmarkOptions.Text("--legs", "Saved legs files (NAME.legs.jsonl), a comma list, instead of --index and --queries.");
    private static readonly Option<string> VariantsOption = BenchmarkOptions.Text("--variants", "Fusion variants to re-fuse, separated by ';'.");
    private static readonly Option<int?> TuneOption = BenchmarkOptions.OptionalInt("--tune", "Print what 'hybridsearch tune' would fit with this many folds instead.");
    private static readonly Option<string> MetricOption = BenchmarkOptions.Choice("--metric", "mrr_at_10", "The metric --tune fits", "mrr_at_10", "ndcg_at_10");

    public static Command CreateCommand()
    {
        var command = new Command("fusion-signals", "Per-leg signals and fusion variants on judged queries (or saved legs).")
        {
            IndexOption, QueriesOption, SaveLegsOption, LegsOption, VariantsOption, TuneOption, MetricOption,
        };
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    public static async Task RunAsync(ParseResult args)
    {
        foreach (var (name, legsPerQuery) in await LoadAsync(args))
        {
            if (args.GetValue(TuneOption) is { } folds)
            {
                // What `hybridsearch tune` would print for these legs, without running the embedders again.
                var metric = args.GetRequiredValue(MetricOption) == "ndcg_at_10" ? TuningMetric.NdcgAt10 : TuningMetric.MrrAt10;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = FusionTuner.Fit(legsPerQuery.Select(q => new JudgedLegs(q.Legs, q.Relevant)).ToList(), HybridSearchOptions.Default.Fusion, metric, folds);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    file = name,
                    queries = result.Queries,
                    metric = metric == TuningMetric.NdcgAt10 ? "ndcg_at_10" : "mrr_at_10",
                    @default = Math.Round(result.Default, 4),
                    fitted = Math.Round(result.Fitted, 4),
                    per_fold = result.PerFold.Select(f => new { @default = Math.Round(f.Default, 4), fitted = Math.Round(f.Fitted, 4) }),
                    profile = result.Profile.ToJson(),
                    seconds = Math.Round(watch.Elapsed.TotalSeconds, 1),
                }));
                continue;
            }

            foreach (var legName in args.GetValue(VariantsOption) is not null ? [] : legsPerQuery.SelectMany(q => q.Legs.Select(l => l.Name)).Distinct().ToList())
            {
                var good = new List<(LegSignal S, RankedLeg L)>();
                var bad = new List<(LegSignal S, RankedLeg L)>();
                var mrr = 0.0;
                foreach (var (legs, relevant) in legsPerQuery)
                {
                    var leg = legs.FirstOrDefault(l => l.Name == legName);
                    if (leg is null)
                    {
                        continue;
                    }

                    var signal = ScoreFusion.Signals(legs, HybridSearchOptions.Default.Fusion).First(s => s.Leg == legName);
                    var rank = leg.Hits.Select(h => h.Key).Distinct().ToList().FindIndex(relevant.Contains) + 1;
                    mrr += rank is > 0 and <= 10 ? 1.0 / rank : 0;
                    if (rank is > 0 and <= 3)
                    {
                        good.Add((signal, leg));
                    }
                    else if (rank == 0 || rank > 10)
                    {
                        bad.Add((signal, leg));
                    }
                }

                var signals = new Dictionary<string, Func<(LegSignal S, RankedLeg L), double>>
                {
                    ["confidence"] = s => s.S.Confidence,
                    ["near_ties"] = s => s.S.NearTies,
                    ["top_gap"] = s => s.S.TopGap,
                    ["nqc"] = s => s.S.Nqc,
                    ["wig"] = s => s.S.Wig,
                    ["base"] = s => s.S.Base,
                    ["corroboration"] = s => s.S.Corroboration,
                    ["flatness"] = s => s.S.Flatness,
                    ["ties25"] = s => Ties(s.L, 0.25),
                    ["ties50"] = s => Ties(s.L, 0.5),
                    ["ties75"] = s => Ties(s.L, 0.75),
                    ["ceiling"] = s => s.L.TheoreticalMaxScore ?? 0,
                    ["relative_nqc"] = s => s.S.Confidence > 0 ? s.S.Nqc / s.S.Confidence : 0,
                };
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    file = name,
                    leg = legName,
                    mrr_at_10 = Math.Round(mrr / legsPerQuery.Count, 3),
                    good = good.Count,
                    bad = bad.Count,
                    signals = signals.ToDictionary(
                        s => s.Key,
                        s => new
                        {
                            good = good.Count == 0 ? (double?)null : Math.Round(good.Average(s.Value), 3),
                            bad = bad.Count == 0 ? (double?)null : Math.Round(bad.Average(s.Value), 3),
                            auc = good.Count == 0 || bad.Count == 0 ? (double?)null : Math.Round(Auc(good.Select(s.Value).ToList(), bad.Select(s.Value).ToList()), 3),
                        }),
                }));
            }

            var variants = new Dictionary<string, FusionOptions>
            {
                ["default"] = HybridSearchOptions.Default.Fusion,
                ["no-abstention"] = HybridSearchOptions.Default.Fusion with { Abstention = false },
                ["no-discrimination"] = HybridSearchOptions.Default.Fusion with { Discrimination = false },
                ["no-corroboration"] = HybridSearchOptions.Default.Fusion with { Corroboration = false },
                ["plain"] = HybridSearchOptions.Default.Fusion with { Corroboration = false, Discrimination = false },
                ["rrf60"] = FusionOptions.ReciprocalRank,
            };
            foreach (var variant in (args.GetValue(VariantsOption) ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                // strength,depth,corroboration: e.g. "1,10,1"
                var v = variant.Split(',').Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                variants[variant] = HybridSearchOptions.Default.Fusion with { NarrowingStrength = v[0], SignalDepth = (int)v[1], Corroboration = v[2] > 0 };
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                file = name,
                queries = legsPerQuery.Count,
                fused_mrr_at_10 = variants.ToDictionary(v => v.Key, v => Math.Round(legsPerQuery.Average(q => FusionMetrics.ReciprocalRankAt10(ScoreFusion.Fuse(q.Legs, v.Value), q.Relevant)), 4)),
                fused_ndcg_at_10 = variants.ToDictionary(v => v.Key, v => Math.Round(legsPerQuery.Average(q => FusionMetrics.NdcgAt10(ScoreFusion.Fuse(q.Legs, v.Value), q.Relevant)), 4)),
            }));
        }
    }

    /// <summary>
    /// Per file, each judged query's legs: read from <c>--legs</c> files (saved earlier), or run once on <c>--index</c>
    /// for each <c>--queries</c> file and, with <c>--save-legs DIR</c>, saved there as <c>NAME.legs.jsonl</c>.
    /// </summary>
    private static async Task<List<(string Name, List<(IReadOnlyList<RankedLeg> Legs, HashSet<string> Relevant)> Queries)>> LoadAsync(ParseResult args)
    {
        var files = new List<(string, List<(IReadOnlyList<RankedLeg>, HashSet<string>)>)>();
        if (args.GetValue(LegsOption) is { } saved)
        {
            foreach (var file in saved.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Path.GetFileName(file).Replace(".legs.jsonl", string.Empty, StringComparison.Ordinal);
                files.Add((name, SavedLegsFile.Read(file).Select(e => (e.Legs, e.Relevant)).ToList()));
            }

            return files;
        }

        using var index = HybridIndex.OpenReadOnly(args.GetValue(IndexOption) ?? throw new BenchmarkArgumentException("give --legs FILES, or --index DIR and --queries FILES."));
        using var text = new MiniLMTextEmbedder();
        using var image = new ResNet18ImageEmbedder();
        var searcher = new HybridSearcher(index, text, image);
        var saveTo = args.GetValue(SaveLegsOption);
        foreach (var file in (args.GetValue(QueriesOption) ?? throw new BenchmarkArgumentException("missing required option --queries.")).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var judged = JudgedQueryFile.Read(file);
            var entries = new List<SavedLegsFile.Entry>();
            foreach (var (id, query, relevant) in judged)
            {
                entries.Add(new SavedLegsFile.Entry(id, relevant, await searcher.RankLegsAsync(query, HybridSearchOptions.Default)));
            }

            var name = Path.GetFileNameWithoutExtension(file);
            if (saveTo is not null)
            {
                System.IO.Directory.CreateDirectory(saveTo);
                SavedLegsFile.Write(Path.Combine(saveTo, name + ".legs.jsonl"), entries);
            }

            files.Add((name, entries.Select(e => (e.Legs, e.Relevant)).ToList()));
        }

        return files;
    }

    /// <summary>Hits whose evidence is at least (1 − margin) of the best's.</summary>
    private static double Ties(RankedLeg leg, double margin)
    {
        double lo = leg.TheoreticalMinScore ?? 0, hi = leg.TheoreticalMaxScore ?? 1;
        var e = leg.Hits.Select(h => Math.Clamp((h.Score - lo) / (hi - lo), 0, 1)).ToList();
        return e.Count == 0 || e[0] <= 0 ? 0 : e.Count(v => v >= (1 - margin) * e[0]);
    }

    /// <summary>Probability that a random "good" value exceeds a random "bad" one (ties count half).</summary>
    private static double Auc(List<double> good, List<double> bad)
    {
        if (good.Count == 0 || bad.Count == 0)
        {
            return double.NaN;
        }

        var wins = 0.0;
        foreach (var g in good)
        {
            foreach (var b in bad)
            {
                wins += g > b ? 1 : g == b ? 0.5 : 0;
            }
        }

        return wins / (good.Count * (double)bad.Count);
    }
}
