using HybridSearch.Embedding;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

// Query planning: which legs a query runs (input, allowed legs, embedders that match the index's fields), with which
// filter and windows; running them concurrently; and the legs as fusion takes them. The legs themselves are
// LexicalLeg, SemanticLeg and VisualLeg; their score ranges are LegScoreBounds.
public sealed partial class HybridSearcher
{
    /// <summary>Runs the legs of <paramref name="query"/> (<see cref="RunLegsAsync"/>) and ranks them for fusion.</summary>
    /// <exception cref="InvalidHybridQueryException">Nothing to search for, or query images without an image embedder.</exception>
    private async Task<(LegOutcome[] Outcomes, List<RankedLeg> Ranked)> RunAndRankLegsAsync(HybridQuery query, HybridSearchOptions options, IndexSearcher searcher, CancellationToken cancellationToken)
    {
        if (query.Images.Count > 0 && ImageEmbedder is null && ClipImageEmbedder is null)
        {
            throw new InvalidHybridQueryException($"query images ({string.Join(", ", query.Images)})", "the searcher has no image embedder; pass one to the HybridSearcher constructor.");
        }

        var outcomes = await RunLegsAsync(query, options, searcher, cancellationToken).ConfigureAwait(false);
        var ranked = outcomes.Select(o =>
        {
            var (floor, ceiling, queryAsLongAsRecords) = LegScoreBounds.Of(searcher, o, options.Fusion.Method);
            return Ranked(o.Leg, o.Candidates.Select(c => new LegHit(c.RecordId, c.Score)).ToList(), (floor, ceiling), query, options, queryAsLongAsRecords);
        }).ToList();
        return (outcomes, ranked);
    }

    /// <summary>Plans the legs of <paramref name="query"/> on <paramref name="searcher"/> and runs them, each on its own
    /// thread-pool task (BM25 legs and kNN legs, with their query embedding, overlap).</summary>
    /// <returns>The outcome of each leg that ran, in <see cref="SearchLeg"/> order.</returns>
    /// <exception cref="InvalidHybridQueryException">Nothing to search for, or a filter the index cannot apply.</exception>
    private async Task<LegOutcome[]> RunLegsAsync(HybridQuery query, HybridSearchOptions options, IndexSearcher searcher, CancellationToken cancellationToken)
    {
        if (query.Text is null && query.SemanticText is null && query.Images.Count == 0)
        {
            throw new InvalidHybridQueryException("query", "it has no text and no images, so there is nothing to search for.");
        }

        var filter = query.Filter.ToLuceneQuery(_index);
        var legs = Plan(query, options, searcher, filter, cancellationToken);
        var outcomes = await Task.WhenAll(legs.Select(run => Task.Run(run, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        Array.Sort(outcomes, static (a, b) => a.Leg.CompareTo(b.Leg));
        return outcomes;
    }

    /// <summary>The legs <paramref name="query"/> runs: those it has input for, <paramref name="options"/> allow, and
    /// the index has a field for that the searcher's embedders wrote.</summary>
    private List<Func<LegOutcome>> Plan(HybridQuery query, HybridSearchOptions options, IndexSearcher searcher, Query? filter, CancellationToken cancellationToken)
    {
        var legs = new List<Func<LegOutcome>>();
        var text = query.Text;
        var semanticText = query.EffectiveSemanticText;
        if (text is not null && options.Allows(SearchLeg.Lexical))
        {
            var bm25 = ParseBm25(text, LexicalLeg.RecordFields);
            legs.Add(() => LexicalLeg.Run(SearchLeg.Lexical, searcher, bm25, filter, options.WindowOf(SearchLeg.Lexical)));
        }

        if (semanticText is not null && options.Allows(SearchLeg.SemanticText) && TextEmbedder is not null
            && CheckEmbedder(IndexFieldNames.TextVector, TextEmbedder.Info))
        {
            var embedder = TextEmbedder;
            legs.Add(() => SemanticLeg.Run(searcher, embedder, semanticText, filter, options, cancellationToken));
        }

        if (options.Allows(SearchLeg.Visual))
        {
            var probes = new List<VisualProbe>();
            if (query.Images.Count > 0 && ImageEmbedder is not null && CheckEmbedder(IndexFieldNames.ImageVector, ImageEmbedder.Info))
            {
                probes.Add(new VisualProbe(IndexFieldNames.ImageVector, ImageEmbedder, null));
            }

            if (query.Images.Count > 0 && ClipImageEmbedder is not null && CheckEmbedder(IndexFieldNames.ClipImageVector, ClipImageEmbedder.Info))
            {
                probes.Add(new VisualProbe(IndexFieldNames.ClipImageVector, ClipImageEmbedder, null));
            }

            if (semanticText is not null && ClipTextEmbedder is not null && CheckEmbedder(IndexFieldNames.ClipImageVector, ClipTextEmbedder.Info))
            {
                probes.Add(new VisualProbe(IndexFieldNames.ClipImageVector, null, ClipTextEmbedder));
            }

            if (probes.Count > 0)
            {
                legs.Add(() => VisualLeg.Run(searcher, query, probes, _decoder, filter, options, cancellationToken));
            }
        }

        if (text is not null && options.Allows(SearchLeg.Transcript))
        {
            var bm25 = ParseBm25(text, LexicalLeg.TranscriptFields);
            legs.Add(() => LexicalLeg.Run(SearchLeg.Transcript, searcher, bm25, filter, options.WindowOf(SearchLeg.Transcript)));
        }

        return legs;
    }

    /// <summary>False when the index has no such field (nothing to search); throws when it was written by another model.</summary>
    private bool CheckEmbedder(string field, EmbedderInfo info)
    {
        if (!_index.VectorFields.TryGetValue(field, out var stored))
        {
            return false;
        }

        stored.CheckEmbedder(field, info.Name, info.Dimension, info.Similarity, "the query was embedded by");
        return true;
    }

    /// <summary>A BM25 query over <paramref name="fields"/> with the index's analyzer (<see cref="LexicalLeg.Parse"/>).</summary>
    private Query ParseBm25(string text, string[] fields) => LexicalLeg.Parse(_index.Analyzer, text, fields);

    /// <summary>The query snippets highlight: the lexical leg's, else the transcript leg's, else the query text parsed
    /// as the lexical leg would.</summary>
    private Query? SnippetQuery(HybridQuery query, Dictionary<SearchLeg, LegOutcome> byLeg) =>
        byLeg.TryGetValue(SearchLeg.Lexical, out var lexical) ? lexical.Bm25Query
        : byLeg.TryGetValue(SearchLeg.Transcript, out var transcript) ? transcript.Bm25Query
        : query.Text is null ? null : ParseBm25(query.Text, LexicalLeg.RecordFields);

    /// <summary>A leg as fusion takes it: named after the leg, with its weight, minimum score, score bounds and what it
    /// answers and searches (for corroboration). The same for a single index's legs and the merged legs of shards.</summary>
    private static RankedLeg Ranked(SearchLeg leg, IReadOnlyList<LegHit> hits, (float Floor, float Ceiling) bounds, HybridQuery query, HybridSearchOptions options, bool queryAsLongAsRecords) =>
        new(
            SearchLegNames.Of(leg),
            hits,
            options.WeightOf(leg),
            options.MinScores.TryGetValue(leg, out var min) ? min : null,
            theoreticalMinScore: bounds.Floor,
            theoreticalMaxScore: bounds.Ceiling,
            queryInput: QueryInputOf(leg, query),
            searchedContent: SearchedContentOf(leg),
            // BM25 legs find only records sharing a query term; a record they lack is one they cannot judge.
            matchesTerms: leg is SearchLeg.Lexical or SearchLeg.Transcript,
            queryAsLongAsRecords: queryAsLongAsRecords);

    /// <summary>
    /// Which part of the query a leg answers, for corroboration: the visual leg answers the query images when there
    /// are any (with CLIP and no images it answers the text); every other leg answers the text.
    /// </summary>
    private static string QueryInputOf(SearchLeg leg, HybridQuery query) =>
        leg == SearchLeg.Visual && query.Images.Count > 0 ? "image" : "text";

    /// <summary>
    /// What a leg searches, for corroboration: the lexical and semantic legs are two estimates of the same record text
    /// (rivals); transcripts and images are other content, complementary to it.
    /// </summary>
    private static string SearchedContentOf(SearchLeg leg) => leg switch
    {
        SearchLeg.Lexical or SearchLeg.SemanticText => "record text",
        SearchLeg.Transcript => "transcripts",
        _ => "images",
    };
}
