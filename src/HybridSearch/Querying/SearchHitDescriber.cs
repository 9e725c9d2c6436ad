using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Records;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>
/// Turns a fused hit into a <see cref="SearchHit"/>: which document each leg matched, the record's stored fields,
/// the image or segment that earned most of the score, and a snippet. Used for the page only (a handful of hits), so
/// it reads stored fields; the legs themselves never do.
/// </summary>
internal sealed class SearchHitDescriber(HybridIndex index)
{
    /// <summary>The hit as the caller sees it: per-leg explanations (with Lucene's BM25 explanation when asked),
    /// and unless only keys were asked for, the record's title, stored metadata, best media and snippet.</summary>
    public SearchHit Describe(IndexSearcher searcher, FusedHit hit, Dictionary<SearchLeg, LegOutcome> byLeg, HybridSearchOptions options, Query? snippetQuery)
    {
        var legs = new List<LegExplanation>(hit.Legs.Count);
        foreach (var (name, contribution) in hit.Legs)
        {
            var outcome = byLeg[SearchLegNames.LegNamed(name)];
            if (contribution.Abstained)
            {
                // Credited, not matched: the leg holds no document of the record to name or explain.
                legs.Add(new LegExplanation(outcome.Leg, contribution.Rank, contribution.RawScore, contribution.NormalizedScore, contribution.Weight,
                    contribution.Contribution, string.Empty, DocumentKind.Record, null, Abstained: true));
                continue;
            }

            var candidate = outcome[hit.Key];
            var explanation = options.Explain && outcome.Bm25Query is not null ? searcher.Explain(outcome.Bm25Query, candidate.Doc) : null;
            legs.Add(new LegExplanation(
                outcome.Leg,
                contribution.Rank,
                contribution.RawScore,
                contribution.NormalizedScore,
                contribution.Weight,
                contribution.Contribution,
                RecordGrouping.DocumentId(searcher, candidate.Doc),
                candidate.Kind,
                explanation));
        }

        if (!options.HitDetails)
        {
            return new SearchHit(hit.Key, hit.Rank, hit.Score, legs, string.Empty, new Dictionary<string, FieldValue>(), null, null);
        }

        var record = RecordDocument(searcher, hit.Key);
        var title = record?.Get(IndexFieldNames.Title) ?? string.Empty;
        var text = record?.Get(IndexFieldNames.Text) ?? string.Empty;
        var metadata = record is null ? new Dictionary<string, FieldValue>() : RecordDocumentReader.Metadata(record, name => index.TryGetMetadataKind(name, out var kind) ? kind : null);
        var media = BestMedia(searcher, hit, byLeg);
        var snippet = options.Snippets ? SnippetBuilder.Build(searcher, hit, byLeg, snippetQuery, index.Analyzer, title, text) : null;
        return new SearchHit(hit.Key, hit.Rank, hit.Score, legs, title, metadata, media, snippet);
    }

    private static Lucene.Net.Documents.Document? RecordDocument(IndexSearcher searcher, string recordId)
    {
        var top = searcher.Search(new TermQuery(new Term(IndexFieldNames.Id, recordId)), 1);
        return top.ScoreDocs.Length == 0 ? null : searcher.Doc(top.ScoreDocs[0].Doc);
    }

    /// <summary>The image or segment that the most contributing leg matched (ties: leg order); abstained legs matched nothing.</summary>
    private static MatchedMedia? BestMedia(IndexSearcher searcher, FusedHit hit, Dictionary<SearchLeg, LegOutcome> byLeg)
    {
        MatchedMedia? best = null;
        var bestContribution = double.NegativeInfinity;
        foreach (var (name, contribution) in hit.Legs.Where(l => !l.Value.Abstained))
        {
            var outcome = byLeg[SearchLegNames.LegNamed(name)];
            var candidate = outcome[hit.Key];
            if (candidate.Kind is not (DocumentKind.Image or DocumentKind.Segment) || contribution.Contribution <= bestContribution)
            {
                continue;
            }

            var doc = searcher.Doc(candidate.Doc);
            var isImage = candidate.Kind == DocumentKind.Image;
            best = new MatchedMedia(
                isImage ? DocumentKind.Image : DocumentKind.Segment,
                doc.Get(IndexFieldNames.Path) ?? string.Empty,
                isImage ? null : doc.GetField(IndexFieldNames.StartMs)?.GetInt64Value(),
                isImage ? null : doc.GetField(IndexFieldNames.EndMs)?.GetInt64Value(),
                doc.Get(isImage ? IndexFieldNames.Caption : IndexFieldNames.Transcript),
                outcome.Leg);
            bestContribution = contribution.Contribution;
        }

        return best;
    }
}
