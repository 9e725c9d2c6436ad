namespace HybridSearch.Querying;

/// <summary>One term's statistics as BM25 reads them (Lucene's <c>TermStatistics</c>), from one shard or summed.</summary>
/// <param name="Field">The Lucene field name.</param>
/// <param name="Text">The analysed term.</param>
/// <param name="DocFreq">Documents containing the term.</param>
/// <param name="TotalTermFreq">Occurrences of the term over all documents.</param>
public sealed record CorpusTermStatistics(string Field, string Text, long DocFreq, long TotalTermFreq);
