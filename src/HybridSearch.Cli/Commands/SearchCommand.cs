using System.CommandLine;
using HybridSearch.Cli.Output;
using HybridSearch.Cli.Querying;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch search</c>: one hybrid query (text, images, filters) printed as a table or JSON, or a
/// batch of queries from a JSONL file printed as one JSON line each, with the models loaded once.</summary>
internal static class SearchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index();
        var text = new Option<string>("--text", "-t") { Description = "Query text: keywords for BM25 (Lucene syntax allowed) and meaning for the semantic leg.", HelpName = "TEXT" };
        var images = new Option<string[]>("--image") { Description = "A query image (repeat for several).", HelpName = "PATH" };
        var filters = new Option<string[]>("--filter") { Description = $"A metadata filter: {FilterExpressionParser.Syntax} (repeat; all must hold; '=' repeated on one keyword field means any of them).", HelpName = "EXPR" };
        var top = new Option<int>("--top", "-n") { Description = "Number of hits.", DefaultValueFactory = _ => 10, HelpName = "N" };
        var offset = new Option<int>("--offset") { Description = "Hits to skip (paging).", DefaultValueFactory = _ => 0, HelpName = "N" };
        var explain = new Option<bool>("--explain") { Description = "Explain every hit: each leg's rank, score, contribution, matched document and BM25 explanation." };
        var json = CommonOptions.Json("Print one JSON object: {\"took_ms\",\"hits\":[{\"id\",\"rank\",\"score\",\"legs\",\"media\",\"snippet\"}]}.");
        var queries = new Option<string>("--queries") { Description = "Batch mode: a JSONL file, one query a line ({\"id\",\"text\",\"images\",\"filters\",\"top\"}); prints one JSON line per query.", HelpName = "FILE.jsonl" };
        var fusion = new Option<string>("--fusion") { Description = "Fusion method: bounded (default: each leg normalised by its own score range, legs weighed by corroboration), rrf, minmax, zscore or tmm.", DefaultValueFactory = _ => "bounded", HelpName = "METHOD" };
        fusion.AcceptOnlyFromAmong([.. FusionTuning.Methods.Keys]);
        var rrfK = new Option<double>("--rrf-k") { Description = "The constant k of --fusion rrf (score = sum of weight / (k + rank)).", DefaultValueFactory = _ => Fusion.FusionOptions.DefaultRrfK, HelpName = "K" };
        var noCorroboration = new Option<bool>("--no-corroboration") { Description = "Fuse with the given weights exactly: do not lower a leg that the other legs contradict (bounded fusion)." };
        var noAbstention = new Option<bool>("--no-abstention") { Description = "Score 0 for the lexical leg on a record it does not match, instead of crediting its weakest match where the semantic leg finds the record (bounded fusion)." };
        var noDeferral = new Option<bool>("--no-deferral") { Description = "Keep the lexical leg's own weight when the query is a sentence as long as the short records it searches, instead of giving it to the semantic leg (bounded fusion)." };
        var weights = new Option<string[]>("--weight") { Description = "A leg's weight, LEG=W (repeat; legs: lexical, semantic_text, visual, transcript; default 1, 0 reports the leg without letting it count).", HelpName = "LEG=W" };
        var minScores = new Option<string[]>("--min-score") { Description = "A leg's minimum raw score, LEG=S (repeat): its hits below S are dropped before fusion.", HelpName = "LEG=S" };
        var window = new Option<int?>("--window") { Description = "Candidates each leg contributes to fusion (default 100; at least offset + top).", HelpName = "N" };
        var profile = new Option<string>("--profile") { Description = "Fusion profile: index (default: the profile 'tune' stored in the index, when there is one and no fusion option is given) or default (the library's default fusion).", DefaultValueFactory = _ => "index", HelpName = "index|default" };
        profile.AcceptOnlyFromAmong("index", "default");
        var models = ModelOptions.CreateForSearch();
        var cluster = ClusterOptions.Cluster();
        rrfK.Validators.Add(result =>
        {
            // A token that is not a number already has System.CommandLine's conversion error; reading it would throw.
            if (result.Tokens.Count > 0 && double.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var k)
                && (!double.IsFinite(k) || k < 0))
            {
                result.AddError($"--rrf-k must be a finite number >= 0, got {result.Tokens[^1].Value}.");
            }
        });
        window.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && (value < 1 || value > SearchLimits.MaxPageEnd))
            {
                result.AddError($"--window must be from 1 to {SearchLimits.MaxPageEnd}, got {value}.");
            }
        });
        CommonOptions.AddRangeValidator(top, 1, SearchLimits.MaxPageEnd);
        CommonOptions.AddRangeValidator(offset, 0, SearchLimits.MaxPageEnd);
        var command = new Command("search", "Search an index with text, images and filters; fused hits with per-leg explanations.")
        {
            index,
            text,
            images,
            filters,
            top,
            offset,
            explain,
            json,
            queries,
            fusion,
            rrfK,
            noCorroboration,
            noAbstention,
            noDeferral,
            weights,
            minScores,
            window,
            profile,
            cluster,
        };
        models.AddTo(command);
        command.Validators.Add(result =>
        {
            var batch = result.GetResult(queries) is not null;
            var single = result.GetResult(text) is not null || result.GetResult(images) is not null || result.GetResult(filters) is not null;
            if (batch && single)
            {
                result.AddError("--queries cannot be combined with --text, --image or --filter (put them in the file).");
            }
            else if (!batch && result.GetResult(text) is null && result.GetResult(images) is null)
            {
                result.AddError("give --text, --image or --queries.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Syntax first: a typo in a filter is reported before the index or any model is opened.
            var conditions = (parseResult.GetValue(filters) ?? []).Select(FilterExpressionParser.Parse).ToList();
            var tuning = new FusionTuning
            {
                Method = FusionTuning.Methods[parseResult.GetValue(fusion) ?? "bounded"],
                RrfK = parseResult.GetValue(rrfK),
                Corroboration = !parseResult.GetValue(noCorroboration),
                Abstention = !parseResult.GetValue(noAbstention),
                Deferral = !parseResult.GetValue(noDeferral),
                Window = parseResult.GetValue(window),
                Weights = LegValues("--weight", parseResult.GetValue(weights), nonNegative: true),
                MinScores = LegValues("--min-score", parseResult.GetValue(minScores), nonNegative: false),
                UseIndexProfile = parseResult.GetValue(profile) != "default"
                    && new Option[] { fusion, rrfK, noCorroboration, noAbstention, noDeferral, weights, minScores }.All(o => parseResult.GetResult(o) is not { Implicit: false }),
            };
            // The query's own files too (a FIFO given as an image would block the read), before the index is opened.
            var batch = parseResult.GetValue(queries) is { } queriesFile ? BatchQueryReader.Read(queriesFile) : null;
            var queryImages = CheckImages(parseResult.GetValue(images) ?? []);
            var pageSize = parseResult.GetValue(top);
            var skip = parseResult.GetValue(offset);
            var wantsExplain = parseResult.GetValue(explain);
            if (parseResult.GetValue(cluster) is { } clusterUrl)
            {
                if (parseResult.GetValue(models.ClipModel) is not null)
                {
                    throw new CliUserException("--clip-model: a cluster index is searched with the default models (MiniLM, ResNet18) only; CLIP probes are not sent to shards yet.");
                }

                var requests = batch is not null
                    ? batch.Select(q => ((string?)q.Id, new SearchRequest(q.Text, q.Images, q.Filters, q.Top ?? pageSize, q.Offset ?? skip, wantsExplain) { Fusion = tuning })).ToList()
                    : [(null, new SearchRequest(parseResult.GetValue(text), queryImages, conditions, pageSize, skip, wantsExplain) { Fusion = tuning })];
                return await ClusterCommands.SearchAsync(console, clusterUrl, parseResult.GetRequiredValue(index), requests, parseResult.GetValue(json), cancellationToken).ConfigureAwait(false);
            }

            var path = CommonOptions.RequireExistingIndex(parseResult.GetRequiredValue(index));
            if (batch is not null)
            {
                return await RunBatchAsync(console, path, batch, pageSize, skip, wantsExplain, models.LoadClip(parseResult), cancellationToken, tuning).ConfigureAwait(false);
            }

            var request = new SearchRequest(
                parseResult.GetValue(text),
                queryImages,
                conditions,
                pageSize,
                skip,
                wantsExplain) { Fusion = tuning };
            using var session = SearchSession.Open(path, [request], models.LoadClip(parseResult));
            var results = await session.SearchAsync(request, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                console.Out.WriteLine(SearchJsonWriter.Write(results, explain: wantsExplain));
            }
            else
            {
                SearchTableRenderer.Render(console.Ansi, results, wantsExplain);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs every query of a batch in one session and prints one JSON line each.</summary>
    internal static async Task<int> RunBatchAsync(CliConsole console, string indexPath, IReadOnlyList<BatchQuery> batch, int top, int offset, bool explain, Embedding.ClipModel? clip, CancellationToken cancellationToken, FusionTuning? tuning = null)
    {
        var requests = batch.Select(query => new SearchRequest(query.Text, query.Images, query.Filters, query.Top ?? top, query.Offset ?? offset, explain) { Fusion = tuning ?? FusionTuning.Default }).ToList();
        using var session = SearchSession.Open(indexPath, requests, clip);
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                var results = await session.SearchAsync(requests[i], cancellationToken).ConfigureAwait(false);
                console.Out.WriteLine(SearchJsonWriter.Write(results, batch[i].Id, explain));
            }
            catch (Exception exception) when (CliApplication.IsUserError(exception) && exception is not IndexCorruptException)
            {
                throw new CliUserException($"query '{batch[i].Id}' (line {batch[i].LineNumber}): {exception.Message}", exception);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>LEG=VALUE options as a map; a leg given twice keeps its last value.</summary>
    private static Dictionary<HybridSearch.Querying.SearchLeg, float> LegValues(string option, string[]? expressions, bool nonNegative)
    {
        var values = new Dictionary<HybridSearch.Querying.SearchLeg, float>();
        foreach (var expression in expressions ?? [])
        {
            var (leg, value) = FusionTuning.ParseLegValue(option, expression, nonNegative);
            values[leg] = value;
        }

        return values;
    }

    private static string[] CheckImages(string[] images)
    {
        foreach (var image in images)
        {
            // Not confined to any folder (the user typed the path), but only a regular file is opened: a FIFO would
            // block the read and a device never ends.
            var kind = FileKinds.Of(image);
            if (kind != FileKind.RegularFile)
            {
                throw new CliUserException(kind == FileKind.Missing
                    ? $"--image: file '{image}' does not exist."
                    : $"--image: '{image}' is {FileKinds.Describe(kind)}, not a regular file.");
            }
        }

        return [.. images.Select(Path.GetFullPath)];
    }
}
