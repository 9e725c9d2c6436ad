namespace HybridSearch.Indexing;

/// <summary>How <see cref="LexicalQueryBuilder.BuildPlainTextQuery"/> weights a term that occurs several times in the query text (after analysis).</summary>
public enum RepeatedQueryTermWeighting
{
    /// <summary>
    /// Saturating, as Xapian's BM25 with <c>k3 = 1</c>: a term seen <c>qtf</c> times gets weight <c>2·qtf / (1 + qtf)</c>
    /// (1, 1.33, 1.5, ... never more than 2), so repeated words count more but cannot dominate a long query.
    /// </summary>
    Saturated = 0,

    /// <summary>Every occurrence counts fully (weight <c>qtf</c>), as a Lucene query with the word repeated.</summary>
    Linear = 1,

    /// <summary>Each distinct term counts once (weight 1).</summary>
    Once = 2,
}
