using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace HybridSearch.Indexing;

/// <summary>Counts how many documents of a kind hold each value of a keyword metadata field (e.g. records per
/// modality), as of the index's last refresh; deleted documents are not counted.</summary>
public static class KeywordValueCounter
{
    /// <summary>The values of <paramref name="field"/> with their document counts, most frequent first (ties by value).</summary>
    /// <param name="index">The index.</param>
    /// <param name="field">A keyword metadata field name (without the internal prefix).</param>
    /// <param name="kind">Which documents to count.</param>
    /// <param name="maxValues">At most this many distinct values are counted (the first in term order).</param>
    public static IReadOnlyList<KeyValuePair<string, int>> Count(HybridIndex index, string field, DocumentKind kind, int maxValues = 100)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValues, 1);
        using var lease = index.AcquireSearcher();
        var searcher = lease.Searcher;
        var indexField = IndexFieldNames.Metadata(field);
        var terms = MultiFields.GetTerms(searcher.IndexReader, indexField);
        var counts = new List<KeyValuePair<string, int>>();
        if (terms is null)
        {
            return counts;
        }

        var kindTerm = new Term(IndexFieldNames.Kind, RecordDocumentBuilder.KindName(kind));
        var enumerator = terms.GetEnumerator();
        while (counts.Count < maxValues && enumerator.MoveNext())
        {
            var value = enumerator.Term.Utf8ToString();
            var query = new BooleanQuery
            {
                { new TermQuery(kindTerm), Occur.MUST },
                { new TermQuery(new Term(indexField, BytesRef.DeepCopyOf(enumerator.Term))), Occur.MUST },
            };
            var hits = searcher.Search(query, 1).TotalHits;
            if (hits > 0)
            {
                counts.Add(new KeyValuePair<string, int>(value, hits));
            }
        }

        return counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToList();
    }
}
