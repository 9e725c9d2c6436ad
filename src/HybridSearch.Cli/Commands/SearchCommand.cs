using System.CommandLine;
using System.CommandLine.Parsing;
using HybridSearch.Cli.Output;
using HybridSearch.Cli.Querying;

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
        var models = ModelOptions.CreateForSearch();
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
            var path = CommonOptions.RequireExistingIndex(parseResult.GetRequiredValue(index));
            var pageSize = parseResult.GetValue(top);
            var skip = parseResult.GetValue(offset);
            var wantsExplain = parseResult.GetValue(explain);
            if (parseResult.GetValue(queries) is { } queriesFile)
            {
                var batch = BatchQueryReader.Read(queriesFile);
                return await RunBatchAsync(console, path, batch, pageSize, skip, wantsExplain, models.LoadClip(parseResult), cancellationToken).ConfigureAwait(false);
            }

            var request = new SearchRequest(
                parseResult.GetValue(text),
                CheckImages(parseResult.GetValue(images) ?? []),
                conditions,
                pageSize,
                skip,
                wantsExplain);
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
    internal static async Task<int> RunBatchAsync(CliConsole console, string indexPath, IReadOnlyList<BatchQuery> batch, int top, int offset, bool explain, Embedding.ClipModel? clip, CancellationToken cancellationToken)
    {
        var requests = batch.Select(query => new SearchRequest(query.Text, query.Images, query.Filters, query.Top ?? top, query.Offset ?? offset, explain)).ToList();
        using var session = SearchSession.Open(indexPath, requests, clip);
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                var results = await session.SearchAsync(requests[i], cancellationToken).ConfigureAwait(false);
                console.Out.WriteLine(SearchJsonWriter.Write(results, batch[i].Id, explain));
            }
            catch (Exception exception) when (CliApplication.IsUserError(exception))
            {
                throw new CliUserException($"query '{batch[i].Id}' (line {batch[i].LineNumber}): {exception.Message}", exception);
            }
        }

        return ExitCodes.Success;
    }

    private static string[] CheckImages(string[] images)
    {
        foreach (var image in images)
        {
            if (!File.Exists(image))
            {
                throw new CliUserException($"--image: file '{image}' does not exist.");
            }
        }

        return [.. images.Select(Path.GetFullPath)];
    }
}
