using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>
/// A searcher over one shard's reader that answers BM25's statistics questions with the whole collection's
/// (<see cref="CorpusStatistics"/>); Lucene's weights read document frequencies and field lengths only through these
/// two virtual methods, so every score it computes is the score a single index would give. Norms are per document and
/// equal either way.
/// </summary>
internal sealed class GlobalStatisticsSearcher : IndexSearcher
{
    private readonly CorpusStatistics _statistics;

    public GlobalStatisticsSearcher(IndexSearcher local, CorpusStatistics statistics)
        : base(local.IndexReader)
    {
        _statistics = statistics;
        Similarity = local.Similarity;
    }

    public override TermStatistics TermStatistics(Term term, TermContext context) =>
        _statistics.TryGetTerm(term.Field, term.Text, out var global)
            ? new TermStatistics(term.Bytes, global.DocFreq, global.TotalTermFreq)
            : base.TermStatistics(term, context);

    public override CollectionStatistics CollectionStatistics(string field) =>
        _statistics.TryGetField(field, out var global)
            ? new CollectionStatistics(field, global.MaxDoc, global.DocCount, global.SumTotalTermFreq, global.SumDocFreq)
            : base.CollectionStatistics(field);
}
