using System.Diagnostics;
using HybridSearch.Indexing;
using Lucene.Net.Analysis;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>The BM25 legs (<see cref="SearchLeg.Lexical"/> and <see cref="SearchLeg.Transcript"/>): which fields each
/// searches, how query text becomes a BM25 query, and the run of one leg.</summary>
internal static class LexicalLeg
{
    /// <summary>What <see cref="SearchLeg.Lexical"/> searches. Title + text live in one combined field, which measured
    /// better than separate fields (see <see cref="IndexFieldNames.Content"/>).</summary>
    public static readonly string[] RecordFields = [IndexFieldNames.Content, IndexFieldNames.Caption];

    /// <summary>What <see cref="SearchLeg.Transcript"/> searches.</summary>
    public static readonly string[] TranscriptFields = [IndexFieldNames.Transcript];

    /// <summary>Turns keywords into a BM25 query over <paramref name="fields"/> with the index's analyzer: Lucene
    /// syntax when the text uses it, plain words otherwise (<see cref="LexicalQueryBuilder.BuildSearchBoxQuery"/>).</summary>
    public static Query Parse(Analyzer analyzer, string text, string[] fields) => new LexicalQueryBuilder(analyzer, fields).BuildSearchBoxQuery(text);

    /// <summary>Runs <paramref name="query"/> with <paramref name="filter"/> and returns its best
    /// <paramref name="window"/> records.</summary>
    public static LegOutcome Run(SearchLeg leg, IndexSearcher searcher, Query query, Query? filter, int window)
    {
        var watch = Stopwatch.StartNew();
        var luceneFilter = filter is null ? null : new QueryWrapperFilter(filter);
        var candidates = RecordGrouping.GroupDeepening(searcher, window, maxDepth: null, depth =>
        {
            var top = searcher.Search(query, luceneFilter, depth);
            return (top.ScoreDocs, top.TotalHits <= depth);
        });
        return new LegOutcome(leg, candidates, query, window, TimeSpan.Zero, watch.Elapsed);
    }
}
