namespace HybridSearch.Querying;

/// <summary>One field's collection statistics as BM25 reads them (Lucene's <c>CollectionStatistics</c>), from one
/// shard or summed over shards.</summary>
/// <param name="Field">The Lucene field name.</param>
/// <param name="MaxDoc">Documents in the index (deleted ones included until merged away).</param>
/// <param name="DocCount">Documents that have the field.</param>
/// <param name="SumTotalTermFreq">Tokens in the field over all documents (the numerator of the average field length).</param>
/// <param name="SumDocFreq">Postings in the field (Σ over terms of their document frequency).</param>
public sealed record CorpusFieldStatistics(string Field, long MaxDoc, long DocCount, long SumTotalTermFreq, long SumDocFreq);
