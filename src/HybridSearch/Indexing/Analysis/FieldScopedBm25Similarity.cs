using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace HybridSearch.Indexing.Analysis;

/// <summary>
/// BM25 whose collection statistics count only the documents that have the field. Lucene 4.8's
/// <see cref="BM25Similarity"/> divides a field's total length by <em>all</em> documents and takes idf over all
/// documents; in a HybridSearch index most documents are children (images, transcript segments, text chunks) without
/// the record's text field, so the average length came out several times too small and every document looked long
/// (measured: a transcript segment of average length got a tf factor of 0.16 instead of about 1). Later Lucene
/// versions made the same change.
/// </summary>
public sealed class FieldScopedBm25Similarity : BM25Similarity
{
    /// <summary>Creates the similarity with the given BM25 parameters.</summary>
    public FieldScopedBm25Similarity(float k1, float b)
        : base(k1, b)
    {
    }

    /// <summary>Total length of the field over the number of documents that have it.</summary>
    protected override float AvgFieldLength(CollectionStatistics collectionStats)
    {
        ArgumentNullException.ThrowIfNull(collectionStats);
        var sumTotalTermFreq = collectionStats.SumTotalTermFreq;
        var docs = Documents(collectionStats);
        return sumTotalTermFreq <= 0 || docs <= 0 ? 1f : (float)(sumTotalTermFreq / (double)docs);
    }

    /// <inheritdoc />
    public override Explanation IdfExplain(CollectionStatistics collectionStats, TermStatistics termStats)
    {
        ArgumentNullException.ThrowIfNull(collectionStats);
        ArgumentNullException.ThrowIfNull(termStats);
        var docs = Documents(collectionStats);
        var df = termStats.DocFreq;
        return new Explanation(Idf(df, docs), $"idf(docFreq={df}, docCount={docs})");
    }

    /// <inheritdoc />
    public override Explanation IdfExplain(CollectionStatistics collectionStats, TermStatistics[] termStats)
    {
        ArgumentNullException.ThrowIfNull(collectionStats);
        ArgumentNullException.ThrowIfNull(termStats);
        var docs = Documents(collectionStats);
        var explanation = new Explanation { Description = "idf(), sum of:" };
        var idf = 0f;
        foreach (var stat in termStats)
        {
            var termIdf = Idf(stat.DocFreq, docs);
            explanation.AddDetail(new Explanation(termIdf, $"idf(docFreq={stat.DocFreq}, docCount={docs})"));
            idf += termIdf;
        }

        explanation.Value = idf;
        return explanation;
    }

    // DocCount is -1 when a codec does not record it; then all documents is the best estimate left.
    private static long Documents(CollectionStatistics stats) => stats.DocCount > 0 ? stats.DocCount : stats.MaxDoc;
}
