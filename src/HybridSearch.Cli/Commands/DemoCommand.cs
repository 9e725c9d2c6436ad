using System.CommandLine;
using System.Globalization;
using HybridSearch.Cli.Demo;
using HybridSearch.Cli.Output;
using HybridSearch.Cli.Querying;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Spectre.Console;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch demo</c>: builds (or reuses) the demo index from <c>data/demo/manifest.jsonl</c> with the
/// default models, runs the showcase queries of <c>data/demo/showcase.json</c> and prints, for each, what it
/// demonstrates, the query, the top hits with their legs and media, and any expected id that is missing.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var data = new Option<string>("--data") { Description = "The demo folder holding showcase.json and its manifest (default: data/demo found above the current directory or the executable).", HelpName = "DIR" };
        var cache = new Option<string>("--cache") { Description = "Where demo indexes are cached (default: $XDG_CACHE_HOME/hybridsearch or ~/.cache/hybridsearch).", HelpName = "DIR" };
        var rebuild = new Option<bool>("--rebuild") { Description = "Rebuild the demo index even when a cached one matches the corpus." };
        var top = new Option<int>("--top", "-n") { Description = "Hits shown per showcase query (at least each query's expectedWithinTop).", DefaultValueFactory = _ => 3, HelpName = "N" };
        CommonOptions.AddRangeValidator(top, 1, 50);
        var command = new Command("demo", "Build the demo index (cached) from data/demo and print a showcase of hybrid queries with explanations.")
        {
            data,
            cache,
            rebuild,
            top,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var showcase = ShowcaseReader.Read(DemoDataLocator.FindShowcase(parseResult.GetValue(data)));
            var indexPath = await EnsureIndexAsync(console, showcase, parseResult.GetValue(cache), parseResult.GetValue(rebuild), cancellationToken).ConfigureAwait(false);
            // A missing expected id is flagged in the output; the demo still succeeds (the showcase test is what fails).
            await PrintShowcaseAsync(console, showcase, indexPath, parseResult.GetValue(top), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Returns the cached demo index for the showcase's manifest, building it first when absent (or when
    /// <paramref name="rebuild"/>). The index is built in a temporary folder and moved into place when complete, so
    /// an interrupted build is never mistaken for a cached index.</summary>
    internal static async Task<string> EnsureIndexAsync(CliConsole console, Showcase showcase, string? cacheRoot, bool rebuild, CancellationToken cancellationToken)
    {
        if (!File.Exists(showcase.ManifestPath))
        {
            throw new CliUserException($"demo manifest '{showcase.ManifestPath}' does not exist.");
        }

        var root = DemoIndexCache.Root(cacheRoot);
        var indexPath = DemoIndexCache.IndexFolder(root, showcase.ManifestPath);
        if (!rebuild && IsComplete(indexPath))
        {
            console.Out.WriteLine($"using the cached demo index {indexPath}");
            return indexPath;
        }

        System.IO.Directory.CreateDirectory(root);
        var building = indexPath + ".building-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (System.IO.Directory.Exists(building))
        {
            System.IO.Directory.Delete(building, recursive: true);
        }

        console.Out.WriteLine($"building the demo index from {HitFormatter.DisplayPath(showcase.ManifestPath)} into {indexPath} (ResNet18 + MiniLM; first run only)");
        try
        {
            using (var pipeline = new IngestionPipeline(LoadedModels.Shared.ForPipeline(IngestionPipelineOptions.Default)))
            {
                var summary = await IndexingRunner.RunAsync(console, pipeline, new ManifestReader(showcase.ManifestPath), building, cancellationToken).ConfigureAwait(false);
                if (IndexingRunner.ReportSummary(console, summary, indexPath) != ExitCodes.Success)
                {
                    console.Out.WriteLine("the demo corpus had failed items (listed above); the showcase runs on what was indexed");
                }
            }

            if (System.IO.Directory.Exists(indexPath))
            {
                System.IO.Directory.Delete(indexPath, recursive: true);
            }

            System.IO.Directory.Move(building, indexPath);
        }
        catch
        {
            TryDelete(building);
            throw;
        }

        return indexPath;
    }

    /// <summary>Runs and prints every showcase query; returns the number of queries with a failed expectation.</summary>
    internal static async Task<int> PrintShowcaseAsync(CliConsole console, Showcase showcase, string indexPath, int top, CancellationToken cancellationToken)
    {
        var requests = showcase.Queries.Select(query => ShowcaseRunner.ToRequest(query, top)).ToList();
        using var session = SearchSession.Open(indexPath, requests);
        var stats = session.Index.GetStats();
        console.Out.WriteLine($"demo index: {stats.Records} records, {stats.Images} images, {stats.TranscriptSegments} transcript segments, {stats.Chunks} text chunks, {ByteSizeFormatter.Format(stats.SizeOnDiskBytes)}");
        var folder = Path.GetDirectoryName(showcase.Path)!;
        var failed = new List<string>();
        var position = 0;
        foreach (var query in showcase.Queries)
        {
            position++;
            var outcome = await ShowcaseRunner.RunAsync(session, query, top, cancellationToken).ConfigureAwait(false);
            PrintOutcome(console, outcome, position, showcase.Queries.Count, folder, top);
            if (!outcome.Passed)
            {
                failed.Add(query.Name);
            }
        }

        console.Ansi.Write(new Rule());
        console.Out.WriteLine(failed.Count == 0
            ? $"showcase: all {showcase.Queries.Count} queries found their expected records"
            : $"showcase: {showcase.Queries.Count - failed.Count} of {showcase.Queries.Count} queries found their expected records; MISSING in: {string.Join(", ", failed)}");
        return failed.Count;
    }

    private static void PrintOutcome(CliConsole console, ShowcaseOutcome outcome, int position, int count, string folder, int top)
    {
        var query = outcome.Query;
        var ansi = console.Ansi;
        ansi.Write(new Rule(Markup.Escape($"{position}/{count} {query.Name}")).LeftJustified());
        ansi.MarkupLine("[italic]" + Markup.Escape(query.Demonstrates) + "[/]");
        var parts = new List<string>();
        if (query.Text is not null)
        {
            parts.Add($"text \"{query.Text}\"");
        }

        parts.AddRange(query.Images.Select(image => $"image {Path.GetRelativePath(folder, image).Replace('\\', '/')}"));
        if (query.Filters.Count > 0)
        {
            parts.Add("filters " + string.Join(", ", query.Filters));
        }

        ansi.MarkupLine("query: [bold]" + Markup.Escape(string.Join("; ", parts)) + "[/]");
        var shown = outcome.Results.Hits.Take(Math.Max(top, query.ExpectedWithinTop)).ToList();
        if (shown.Count == 0)
        {
            ansi.MarkupLine("  [red]no hits[/]");
        }

        foreach (var hit in shown)
        {
            var expected = query.Expected.Contains(hit.RecordId, StringComparer.Ordinal) ? "[green]✓[/]" : " ";
            ansi.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  {expected} #{hit.Rank} [bold]{Markup.Escape(hit.RecordId)}[/]  {hit.Score:0.000000}  {Markup.Escape(hit.Title)}"));
            var found = hit.Legs.OrderByDescending(leg => leg.Contribution).Select(leg => LegNames.Of(leg.Leg)).FirstOrDefault();
            ansi.MarkupLine("      found by " + Markup.Escape(string.Join(" | ", hit.Legs.Select(HitFormatter.Leg))) + (found is null ? string.Empty : $"  [grey](mostly {Markup.Escape(found)})[/]"));
            if (hit.BestMedia is { } media)
            {
                var text = media.Text is { Length: > 0 } t ? $" “{Shorten(t, 90)}”" : string.Empty;
                ansi.MarkupLine("      media: " + Markup.Escape(MediaRelativeTo(folder, media) + text));
            }
        }

        if (outcome.Passed)
        {
            ansi.MarkupLine(Markup.Escape($"  expected {string.Join(", ", query.Expected)} within top {query.ExpectedWithinTop}: ") + "[green]ok[/]");
            return;
        }

        if (outcome.MissingIds.Count > 0)
        {
            ansi.MarkupLine("  [red]MISSING[/] " + Markup.Escape($"{string.Join(", ", outcome.MissingIds)} (expected within top {query.ExpectedWithinTop})"));
        }

        if (outcome.UnexpectedIds.Count > 0)
        {
            ansi.MarkupLine("  [red]UNEXPECTED[/] " + Markup.Escape($"{string.Join(", ", outcome.UnexpectedIds)} (the result set should be exactly {string.Join(", ", query.Expected)})"));
        }

        if (outcome.TimeProblem is not null)
        {
            ansi.MarkupLine("  [red]WRONG TIME[/] " + Markup.Escape(outcome.TimeProblem));
        }
    }

    private static string MediaRelativeTo(string folder, HybridSearch.Querying.MatchedMedia media)
    {
        var relative = Path.GetRelativePath(folder, media.Path).Replace('\\', '/');
        return HitFormatter.Media(media with { Path = relative.StartsWith("..", StringComparison.Ordinal) ? media.Path : relative });
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)].TrimEnd() + "…";

    private static bool IsComplete(string indexPath)
    {
        if (!System.IO.Directory.Exists(indexPath))
        {
            return false;
        }

        Codecs.HybridCodec.Register();
        using var directory = FSDirectory.Open(indexPath);
        return DirectoryReader.IndexExists(directory);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next run, which deletes a stale build folder of the same name first.
        }
    }
}
