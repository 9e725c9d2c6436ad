namespace HybridSearch.Querying;

/// <summary>How <see cref="LexicalQueryBuilder.BuildPlainTextQuery"/> weights a term that occurs several times in the query text (after analysis).</summary>
/// <remarks>
/// <see cref="Linear"/> is the default: on CISI, whose long natural-language queries repeat their key words, it beat
/// <see cref="Saturated"/> by about 0.03 MAP, and it was as good or better on MED and Cranfield.
/// </remarks>
public enum RepeatedQueryTermWeighting
{
    /// <summary>Every occurrence counts fully (weight <c>qtf</c>), as a Lucene query with the word repeated.</summary>
    Linear = 0,

    /// <summary>
    /// Saturating, as Xapian's BM25 with <c>k3 = 1</c>: a term seen <c>qtf</c> times gets weight <c>2·qtf / (1 + qtf)</c>
    /// (1, 1.33, 1.5, ... never more than 2), so repeated words count more but cannot dominate.
    /// </summary>
    Saturated = 1,

    /// <summary>Each distinct term counts once (weight 1).</summary>
    Once = 2,
}
