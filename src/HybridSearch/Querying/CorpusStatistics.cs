namespace HybridSearch.Querying;

/// <summary>
/// The BM25 statistics of a query's terms and fields — gathered from every shard of a sharded index and summed, so
/// that each shard scores with the statistics of the whole collection (Elasticsearch's <c>dfs_query_then_fetch</c>)
/// and its BM25 scores equal those of one index holding every record.
/// </summary>
/// <remarks>Only the terms of term and phrase queries are covered; prefix, wildcard and fuzzy terms are expanded by
/// each shard against its own dictionary and score with local statistics.</remarks>
public sealed class CorpusStatistics
{
    private readonly Dictionary<string, CorpusFieldStatistics> _fields;
    private readonly Dictionary<(string Field, string Text), CorpusTermStatistics> _terms;

    /// <summary>Creates statistics from field and term entries (one per field, one per field and term).</summary>
    /// <exception cref="ArgumentException">A field or term is listed twice.</exception>
    public CorpusStatistics(IEnumerable<CorpusFieldStatistics> fields, IEnumerable<CorpusTermStatistics> terms)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(terms);
        _fields = fields.ToDictionary(f => f.Field, StringComparer.Ordinal);
        _terms = terms.ToDictionary(t => (t.Field, t.Text));
    }

    /// <summary>The fields' statistics.</summary>
    public IReadOnlyCollection<CorpusFieldStatistics> Fields => _fields.Values;

    /// <summary>The terms' statistics.</summary>
    public IReadOnlyCollection<CorpusTermStatistics> Terms => _terms.Values;

    /// <summary>Sums statistics of disjoint shards: every count adds up, so the sum is what one index over all the
    /// shards' documents reports.</summary>
    public static CorpusStatistics Sum(IEnumerable<CorpusStatistics> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var fields = new Dictionary<string, CorpusFieldStatistics>(StringComparer.Ordinal);
        var terms = new Dictionary<(string, string), CorpusTermStatistics>();
        foreach (var shard in shards)
        {
            foreach (var f in shard.Fields)
            {
                fields[f.Field] = fields.TryGetValue(f.Field, out var sum)
                    ? new CorpusFieldStatistics(f.Field, sum.MaxDoc + f.MaxDoc, sum.DocCount + f.DocCount, sum.SumTotalTermFreq + f.SumTotalTermFreq, sum.SumDocFreq + f.SumDocFreq)
                    : f;
            }

            foreach (var t in shard.Terms)
            {
                terms[(t.Field, t.Text)] = terms.TryGetValue((t.Field, t.Text), out var sum)
                    ? new CorpusTermStatistics(t.Field, t.Text, sum.DocFreq + t.DocFreq, sum.TotalTermFreq + t.TotalTermFreq)
                    : t;
            }
        }

        return new CorpusStatistics(fields.Values, terms.Values);
    }

    internal bool TryGetField(string field, out CorpusFieldStatistics statistics) => _fields.TryGetValue(field, out statistics!);

    internal bool TryGetTerm(string field, string text, out CorpusTermStatistics statistics) => _terms.TryGetValue((field, text), out statistics!);
}
