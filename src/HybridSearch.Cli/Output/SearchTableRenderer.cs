using System.Globalization;
using HybridSearch.Querying;
using Spectre.Console;

namespace HybridSearch.Cli.Output;

/// <summary>Renders a page of results as a table (rank, id, fused score, legs, media, title and snippet) and, with
/// explanations, every leg's rank, score, contribution, matched document and Lucene's BM25 explanation.</summary>
internal static class SearchTableRenderer
{
    /// <summary>Writes the table (and the explanations when <paramref name="explain"/>).</summary>
    public static void Render(IAnsiConsole console, HybridSearchResults results, bool explain)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(results);
        var took = results.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (results.Hits.Count == 0)
        {
            console.WriteLine($"no hits ({results.TotalFused} found, offset {results.Offset}; {took} ms)");
            return;
        }

        var table = new Table()
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn("id")
            .AddColumn(new TableColumn("score").RightAligned())
            .AddColumn("legs (rank, score → contribution)")
            .AddColumn("media")
            .AddColumn("title / snippet");
        foreach (var hit in results.Hits)
        {
            var legs = string.Join('\n', hit.Legs.Select(HitFormatter.Leg));
            var snippet = HitFormatter.SnippetMarkup(hit.Snippet);
            var text = Markup.Escape(hit.Title) + (snippet.Length > 0 ? "\n[grey]" + snippet + "[/]" : string.Empty);
            table.AddRow(
                hit.Rank.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(hit.RecordId),
                hit.Score.ToString("0.000000", CultureInfo.InvariantCulture),
                Markup.Escape(legs),
                Markup.Escape(HitFormatter.Media(hit.BestMedia)),
                text);
        }

        console.Write(table);
        console.WriteLine($"{results.Hits.Count} of {results.TotalFused} hits from offset {results.Offset}; fusion {results.Fusion.Method}; {took} ms");
        if (explain)
        {
            RenderExplanations(console, results);
        }
    }

    private static void RenderExplanations(IAnsiConsole console, HybridSearchResults results)
    {
        if (results.LegSignals.Count > 0)
        {
            var signals = new Table().Title("fusion: per leg, what it read and the weight it produced");
            foreach (var column in new[] { "leg", "window", "confidence", "near ties", "top gap", "NQC", "WIG", "base", "flatness", "corroboration", "weight", "deferred to" })
            {
                signals.AddColumn(column);
            }

            foreach (var signal in results.LegSignals)
            {
                signals.AddRow(
                    Markup.Escape(Enum.TryParse<SearchLeg>(signal.Leg, out var leg) ? LegNames.Of(leg) : signal.Leg),
                    signal.Window.ToString(CultureInfo.InvariantCulture),
                    signal.Confidence.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.NearTies.ToString(CultureInfo.InvariantCulture),
                    signal.TopGap.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.Nqc.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.Wig.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.Base.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.Flatness.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.Corroboration.ToString("0.000", CultureInfo.InvariantCulture),
                    signal.Weight.ToString("0.###", CultureInfo.InvariantCulture),
                    signal.DeferredTo is null ? "" : Markup.Escape(Enum.TryParse<SearchLeg>(signal.DeferredTo, out var rival) ? LegNames.Of(rival) : signal.DeferredTo));
            }

            console.Write(signals);
        }

        foreach (var hit in results.Hits)
        {
            var tree = new Tree(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"#{hit.Rank} {hit.RecordId}  fused score {hit.Score:0.000000} = sum of contributions")));
            foreach (var leg in hit.Legs)
            {
                var node = tree.AddNode(Markup.Escape(leg.Abstained
                    ? string.Create(
                        CultureInfo.InvariantCulture,
                        $"{LegNames.Of(leg.Leg)}: abstained (credited, not matched: no query word in the record, credited its weakest match's score {leg.RawScore:0.0000}), normalised {leg.NormalizedScore:0.000000} x weight {leg.Weight:0.###}, contribution {leg.Contribution:0.000000}")
                    : string.Create(
                        CultureInfo.InvariantCulture,
                        $"{LegNames.Of(leg.Leg)}: rank {leg.Rank}, score {leg.RawScore:0.0000}, normalised {leg.NormalizedScore:0.000000} x weight {leg.Weight:0.###}, contribution {leg.Contribution:0.000000}; matched {leg.MatchedDocumentId} ({leg.MatchedKind.ToString().ToLowerInvariant()})")));
                if (leg.LuceneExplanation is { } explanation)
                {
                    AddExplanation(node, explanation);
                }
            }

            console.Write(tree);
        }
    }

    /// <summary>Lucene's explanation as a subtree: one node per step, <c>value = description</c>.</summary>
    private static void AddExplanation(TreeNode parent, Lucene.Net.Search.Explanation explanation)
    {
        var node = parent.AddNode("[grey]" + Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{explanation.Value:0.####} = {CliApplication.OneLine(explanation.Description)}")) + "[/]");
        foreach (var detail in explanation.GetDetails() ?? [])
        {
            AddExplanation(node, detail);
        }
    }
}
