using HybridSearch.Fusion;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>
/// The range a leg's scores live in, for score-based fusion (<see cref="RankedLeg.TheoreticalMinScore"/> and
/// <see cref="RankedLeg.TheoreticalMaxScore"/>). kNN legs score (1 + cosine) / 2: the ceiling is 1 and, for
/// <see cref="FusionMethod.BoundedScore"/>, the floor is what an unrelated document scores for this query vector in this
/// index (<see cref="KnnBackground"/>; cosine 0 when unknown). BM25 legs: floor 0, ceiling the score of a full match of
/// the query (see <see cref="Bm25Ceiling"/>). One rule for a single index and for the merged legs of many shards.
/// </summary>
internal static class LegScoreBounds
{
    /// <summary>Query length (distinct terms in a field) up to which a full BM25 match means holding every term once;
    /// chosen on MED, CISI and Cranfield with the <c>fusion</c> benchmark (8–15 measured alike, 12 best overall).</summary>
    private const int LongQueryTerms = 12;

    /// <summary>The bounds of a leg run on <paramref name="searcher"/>, and for the lexical leg whether its query is as
    /// long as the records it searches (<see cref="Bm25Facts"/>; false for every other leg).</summary>
    public static (float Floor, float Ceiling, bool QueryAsLongAsRecords) Of(IndexSearcher searcher, LegOutcome outcome, FusionMethod method)
    {
        var best = outcome.Candidates.Count == 0 ? 0f : outcome.Candidates.Max(c => c.Score);
        if (outcome.Bm25Query is null)
        {
            var (floor, ceiling) = Knn(best, outcome.ScoreFloor, method);
            return (floor, ceiling, false);
        }

        var facts = Bm25Facts(searcher, outcome);
        var (bm25Floor, bm25Ceiling) = Bm25(facts.Ceiling, best);
        return (bm25Floor, bm25Ceiling, facts.QueryAsLongAsRecords);
    }

    /// <summary>
    /// A BM25 leg's <see cref="Bm25Ceiling"/> and, for the lexical leg (the one with a kNN rival over the same text),
    /// whether its query is a sentence as long as the records it searches (<see cref="QueryAsLongAsRecords"/>), from one
    /// rewrite of its query. (0, false) for a leg without a BM25 query or a query type without terms to extract.
    /// </summary>
    public static (float Ceiling, bool QueryAsLongAsRecords) Bm25Facts(IndexSearcher searcher, LegOutcome outcome)
    {
        if (outcome.Bm25Query is null || Terms(searcher, outcome.Bm25Query) is not { } terms)
        {
            return (0f, false); // A query type without terms to extract (rare); the caller falls back to the window's best.
        }

        return (Bm25Ceiling(searcher, terms), outcome.Leg == SearchLeg.Lexical && QueryAsLongAsRecords(searcher, terms));
    }

    /// <summary>A kNN leg's bounds from its best score and its background score (null when unknown).</summary>
    public static (float Floor, float Ceiling) Knn(float best, float? background, FusionMethod method)
    {
        var ceiling = Math.Max(1f, best);
        var floor = method == FusionMethod.BoundedScore ? Math.Min(background ?? 0.5f, 0.999f * ceiling) : 0f;
        return (floor, ceiling);
    }

    /// <summary>A BM25 leg's bounds from its <see cref="Bm25Ceiling"/> and its best score (which a document repeating
    /// the query's terms can lift above the ceiling).</summary>
    public static (float Floor, float Ceiling) Bm25(float ceiling, float best) => (0f, Math.Max(Math.Max(ceiling, best), 1e-6f));

    /// <summary>
    /// The BM25 score that stands for "matches the whole query": per field, Σ over the query's distinct terms of
    /// idf(t) — the score of a document of average length containing every query term once (for queries of more than
    /// <see cref="LongQueryTerms"/> terms, scaled by √(LongQueryTerms / n)) — and the largest field's value, since a
    /// document is either a record (content) or an image (caption). Normalised by it, a BM25 score reads roughly as the
    /// share of the query's evidence a document holds (repeated terms can pass 1 and are clamped), on a scale
    /// comparable with a cosine similarity; a document matching only a common word of the query scores a small
    /// fraction, however it ranks within its leg.
    /// </summary>
    /// <remarks>
    /// A field no document of the index has (no captions in a text-only collection, no record text when captions sit
    /// on images) has no statistics: its terms get the idf of a term no document holds, ln(1 + (MaxDoc + 0.5) / 0.5),
    /// and that field's sum is then the largest — a full match reads 1.5–3× the one the used field would give, and
    /// BM25's evidence is deflated by as much on such collections (not on one whose records have text and whose images
    /// have captions). The default fusion's constants and every figure in decision 0001 were measured with this; reading
    /// only the used fields was measured there and breaks MED and the image + off-topic text row, so it stays until
    /// the ceiling is chosen deliberately (decision 0001, "BM25's ceiling reads a field no document has").
    /// </remarks>
    private static float Bm25Ceiling(IndexSearcher searcher, HashSet<Term> terms)
    {
        var perField = new Dictionary<string, (double Sum, int Terms)>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            // The same statistics FieldScopedBm25Similarity scores with: documents that have the field.
            var stats = searcher.CollectionStatistics(term.Field);
            var docs = stats is { DocCount: > 0 } ? stats.DocCount : stats?.MaxDoc ?? searcher.IndexReader.MaxDoc;
            // Through the searcher, so a searcher that supplies global (all-shard) statistics is honoured.
            var df = searcher.TermStatistics(term, TermContext.Build(searcher.TopReaderContext, term)).DocFreq;
            var idf = Math.Log(1 + (docs - df + 0.5) / (df + 0.5));
            var (sum, count) = perField.GetValueOrDefault(term.Field);
            perField[term.Field] = (sum + idf, count + 1);
        }

        // Beyond LongQueryTerms terms the ceiling grows as √n, not n (mean idf × √(LongQueryTerms · n)): no document
        // holds a long question's every word, and the share of it that relevant documents do hold falls as the question
        // grows. Without this a 25-word question's best match read as weak as one common word of an off-topic phrase.
        return perField.Count == 0 ? 0f : (float)perField.Values.Max(f => f.Sum * Math.Min(1.0, Math.Sqrt(LongQueryTerms / (double)f.Terms)));
    }

    /// <summary>
    /// Whether a BM25 query is a sentence about as long as the records it searches (<see cref="RankedLeg.QueryAsLongAsRecords"/>):
    /// at least <see cref="SentenceQueryTerms"/> distinct terms, and the longest searched field that holds documents
    /// averages at most <see cref="ShortRecordTerms"/> terms and at most twice the query's. Read from the statistics
    /// the leg scored with (global ones on a shard), so a single index and the shards of a cluster decide alike.
    /// </summary>
    private static bool QueryAsLongAsRecords(IndexSearcher searcher, HashSet<Term> terms)
    {
        var words = terms.Select(t => t.Text).Distinct(StringComparer.Ordinal).Count();
        if (words < SentenceQueryTerms)
        {
            return false; // One or two words are a keyword lookup, where an exact term is what the user means.
        }

        var longest = 0.0;
        foreach (var field in terms.Select(t => t.Field).Distinct(StringComparer.Ordinal))
        {
            var stats = searcher.CollectionStatistics(field);
            if (stats is not { DocCount: > 0 })
            {
                continue; // No document has the field (e.g. no captions): it says nothing about the records' length.
            }

            if (stats.SumTotalTermFreq < 0)
            {
                return false; // Field lengths not recorded: unknown, so keep both legs.
            }

            longest = Math.Max(longest, stats.SumTotalTermFreq / (double)stats.DocCount);
        }

        return longest > 0 && longest <= ShortRecordTerms && longest <= 2.0 * words;
    }

    /// <summary>Distinct terms a query needs to be read as a sentence by <see cref="QueryAsLongAsRecords"/>.</summary>
    private const int SentenceQueryTerms = 3;

    /// <summary>Mean record length (analysed terms) up to which <see cref="QueryAsLongAsRecords"/> reads records as short
    /// texts (captions, titles, one or two sentences): twice <see cref="LongQueryTerms"/>. Abstracts (MED, CISI,
    /// Cranfield: 73–103) and reports (MedPix: 135) are far above it, COCO captions (6) far below.</summary>
    private const int ShortRecordTerms = 2 * LongQueryTerms;

    /// <summary>The query's terms after rewriting, or null for a query type without terms to extract.</summary>
    private static HashSet<Term>? Terms(IndexSearcher searcher, Query query)
    {
        var terms = new HashSet<Term>();
        try
        {
            searcher.Rewrite(query).ExtractTerms(terms);
        }
        catch (NotSupportedException)
        {
            return null;
        }

        return terms;
    }
}
