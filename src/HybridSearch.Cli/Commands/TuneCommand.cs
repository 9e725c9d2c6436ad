using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HybridSearch.Cli.Querying;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Cli.Commands;

/// <summary>
/// <c>hybridsearch tune --index DIR --queries JUDGED.jsonl [--folds 5] [--out PROFILE.json] [--metric mrr_at_10|ndcg_at_10]</c>:
/// fits the fusion to the user's judged queries (<see cref="FusionTuner"/>: each query's legs run once, re-fused in
/// memory), prints per fold the held-out metric of the default and the fitted fusion, stores the profile fitted on all
/// queries in the index (committed with it; later searches use it unless <c>--profile default</c>) and, with
/// <c>--out</c>, in a file. Its last output line is one JSON object:
/// <c>{"queries":N,"folds":K,"metric":"mrr_at_10","default":X,"fitted":Y,"per_fold":[{"default":..,"fitted":..}],"profile":{...}}</c>.
/// </summary>
internal static class TuneCommand
{
    private static readonly Dictionary<string, TuningMetric> Metrics = new(StringComparer.Ordinal)
    {
        ["mrr_at_10"] = TuningMetric.MrrAt10,
        ["ndcg_at_10"] = TuningMetric.NdcgAt10,
    };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index("The index to fit fusion for; the fitted profile is stored in it.");
        var queries = new Option<string>("--queries") { Description = "Judged queries: the 'search --queries' JSONL format plus \"relevant\": [\"record id\", ...] on every line (at least 20 queries).", HelpName = "JUDGED.jsonl", Required = true };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds.", DefaultValueFactory = _ => 5, HelpName = "K" };
        CommonOptions.AddRangeValidator(folds, 2, 100);
        var output = new Option<string>("--out") { Description = "Also write the fitted profile (JSON) to this file.", HelpName = "PROFILE.json" };
        var cluster = ClusterOptions.Cluster();
        var metric = new Option<string>("--metric") { Description = "What to maximise and report: mrr_at_10 (default) or ndcg_at_10.", DefaultValueFactory = _ => "mrr_at_10", HelpName = "METRIC" };
        metric.AcceptOnlyFromAmong([.. Metrics.Keys]);
        var command = new Command("tune", "Fit the fusion (method, leg weights, minimum scores, corroboration, narrowing) to judged queries by cross-validation and store the profile in the index.")
        {
            index,
            queries,
            folds,
            output,
            metric,
            cluster,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var queriesFile = parseResult.GetRequiredValue(queries);
            var batch = BatchQueryReader.Read(queriesFile, judged: true);
            var clusterUrl = parseResult.GetValue(cluster);
            var path = clusterUrl is null ? CommonOptions.RequireExistingIndex(parseResult.GetRequiredValue(index)) : parseResult.GetRequiredValue(index);
            var foldCount = parseResult.GetValue(folds);
            var chosen = Metrics[parseResult.GetValue(metric) ?? "mrr_at_10"];
            if (batch.Count < FusionTuner.MinimumQueries)
            {
                throw new CliUserException($"{queriesFile}: {batch.Count} judged queries; tune needs at least {FusionTuner.MinimumQueries} for its held-out figures to mean anything.");
            }

            var requests = batch.Select(q => new SearchRequest(q.Text, q.Images, q.Filters, 10, 0, false) { Fusion = FusionTuning.Default with { UseIndexProfile = false } }).ToList();
            if (clusterUrl is not null)
            {
                return await ClusterCommands.TuneAsync(console, clusterUrl, path, batch, requests, queriesFile, chosen, parseResult.GetValue(metric) ?? "mrr_at_10", foldCount, parseResult.GetValue(output), cancellationToken).ConfigureAwait(false);
            }

            var judged = new List<JudgedLegs>(batch.Count);
            using (var session = SearchSession.Open(path, requests))
            {
                var known = KnownIds(session.Index, batch.SelectMany(q => q.Relevant!));
                var legs = new List<IReadOnlyList<RankedLeg>?>();
                var progress = new LegsProgress(console, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    legs.Add(batch[i].Relevant!.Any(known.Contains) ? await session.RankLegsAsync(requests[i], cancellationToken).ConfigureAwait(false) : null);
                    progress.Ranked(i + 1);
                }

                judged = Judge(console, queriesFile, batch, known, legs);
            }

            var result = Fit(console, judged, foldCount, chosen);
            using (var writable = HybridIndex.Open(path))
            {
                writable.SaveFusionProfileJson(result.Profile.ToJson());
            }

            Report(console, result, parseResult.GetValue(metric) ?? "mrr_at_10", parseResult.GetValue(output), $"'{path}'");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The judged queries with their legs; warns about relevant ids not in the index, skips queries with none
    /// in it (their legs are null: each query's ranked legs, null for one with no relevant record in the index), and
    /// refuses fewer than <see cref="FusionTuner.MinimumQueries"/> usable ones.</summary>
    internal static List<JudgedLegs> Judge(CliConsole console, string queriesFile, IReadOnlyList<BatchQuery> batch, IReadOnlySet<string> known, IReadOnlyList<IReadOnlyList<RankedLeg>?> legs)
    {
        var judged = new List<JudgedLegs>(batch.Count);
        var skipped = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var missing = batch[i].Relevant!.Where(id => !known.Contains(id)).ToList();
            if (missing.Count > 0)
            {
                console.Error.WriteLine($"warning: {queriesFile}:{batch[i].LineNumber}: relevant record(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not in the index{(missing.Count == batch[i].Relevant!.Count ? "; query skipped" : string.Empty)}.");
            }

            if (legs[i] is not { } ranked)
            {
                skipped.Add(batch[i].LineNumber);
                continue;
            }

            judged.Add(new JudgedLegs(ranked, batch[i].Relevant!.Where(known.Contains).ToHashSet(StringComparer.Ordinal)));
        }

        if (judged.Count < FusionTuner.MinimumQueries)
        {
            throw new CliUserException($"{queriesFile}: only {judged.Count} judged queries have a relevant record in the index (lines skipped: {string.Join(", ", skipped)}); tune needs at least {FusionTuner.MinimumQueries}.");
        }

        return judged;
    }

    /// <summary>Fits the profile by cross-validation, saying on standard error what it is doing (it takes minutes on
    /// hundreds of queries).</summary>
    internal static FusionTuningResult Fit(CliConsole console, List<JudgedLegs> judged, int foldCount, TuningMetric metric)
    {
        if (foldCount > judged.Count)
        {
            throw new CliUserException($"--folds {foldCount}: more folds than the {judged.Count} usable judged queries.");
        }

        console.Error.WriteLine($"fitting fusion to {judged.Count} judged queries: {foldCount} folds and the final profile, each fit checked on {Math.Min(FusionTuner.AcceptanceParts, judged.Count)} left-out parts...");

        return FusionTuner.Fit(judged, HybridSearchOptions.Default.Fusion, metric, foldCount, new FoldProgress(console, foldCount, judged.Count));
    }

    /// <summary>Prints the per-fold lines, the stored line and the JSON line; writes <paramref name="outFile"/>.</summary>
    internal static void Report(CliConsole console, FusionTuningResult result, string metricName, string? outFile, string storedIn)
    {
        for (var f = 0; f < result.PerFold.Count; f++)
        {
            var fold = result.PerFold[f];
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fold {f + 1}/{result.Folds}: {fold.Queries} held-out queries, {metricName} default {fold.Default:F4}, fitted {fold.Fitted:F4} ({fold.Fitted - fold.Default:+0.0000;-0.0000;0.0000})"));
        }

        if (outFile is not null)
        {
            File.WriteAllText(outFile, result.Profile.ToJson() + Environment.NewLine);
        }

        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stored the fitted profile in {storedIn} (search uses it unless --profile default): mean held-out {metricName} default {result.Default:F4}, fitted {result.Fitted:F4}"));
        var perFold = new JsonArray();
        foreach (var fold in result.PerFold)
        {
            perFold.Add(new JsonObject { ["default"] = Math.Round(fold.Default, 4), ["fitted"] = Math.Round(fold.Fitted, 4) });
        }

        console.Out.WriteLine(new JsonObject
        {
            ["queries"] = result.Queries,
            ["folds"] = result.Folds,
            ["metric"] = metricName,
            ["default"] = Math.Round(result.Default, 4),
            ["fitted"] = Math.Round(result.Fitted, 4),
            ["per_fold"] = perFold,
            ["profile"] = result.Profile.ToJsonNode(),
        }.ToJsonString());
    }

    /// <summary>Which of <paramref name="ids"/> are records of the index.</summary>
    private static HashSet<string> KnownIds(HybridIndex index, IEnumerable<string> ids)
    {
        using var lease = index.AcquireSearcher();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var query = new BooleanQuery
            {
                { new TermQuery(new Term(IndexFieldNames.Id, id)), Occur.MUST },
                { new TermQuery(new Term(IndexFieldNames.Kind, "record")), Occur.MUST },
            };
            if (lease.Searcher.Search(query, 1).TotalHits > 0)
            {
                known.Add(id);
            }
        }

        return known;
    }

    /// <summary>"fitted fold k/K" on standard error as each fold's fit is done, then that the final fit has begun
    /// (reported synchronously on the fitting thread: lines come in order).</summary>
    private sealed class FoldProgress(CliConsole console, int folds, int queries) : IProgress<FoldScore>
    {
        private int _done;

        public void Report(FoldScore value)
        {
            _done++;
            console.Error.WriteLine($"fitted fold {_done}/{folds} ({value.Queries} held-out queries){(_done == folds ? $"; fitting the profile on all {queries} queries..." : string.Empty)}");
        }
    }

    /// <summary>"ranked the legs of i/n judged queries" on standard error, at most every two seconds and once at the end.</summary>
    internal sealed class LegsProgress(CliConsole console, int total)
    {
        private readonly System.Diagnostics.Stopwatch _sinceLast = System.Diagnostics.Stopwatch.StartNew();

        /// <summary>Reports that <paramref name="done"/> of the queries have their legs.</summary>
        public void Ranked(int done)
        {
            if (done == total || _sinceLast.Elapsed >= TimeSpan.FromSeconds(2))
            {
                console.Error.WriteLine($"ranked the legs of {done}/{total} judged queries");
                _sinceLast.Restart();
            }
        }
    }
}
