using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Tests.Ingestion.Pipeline;

/// <summary>Looks into an index through its searcher, the way a user would.</summary>
internal static class IndexProbe
{
    public static int Count(HybridIndex index, Query query)
    {
        using var lease = index.AcquireSearcher();
        return lease.Searcher.Search(query, 1).TotalHits;
    }

    public static int Children(HybridIndex index, string parent, string kind) => Count(index, new BooleanQuery
    {
        { new TermQuery(new Term(IndexFieldNames.Parent, parent)), Occur.MUST },
        { new TermQuery(new Term(IndexFieldNames.Kind, kind)), Occur.MUST },
    });

    public static int WithTerm(HybridIndex index, string field, string value) => Count(index, new TermQuery(new Term(field, value)));

    /// <summary>Stored fields of the top hits of a kNN query, best first.</summary>
    public static List<(string Id, string? Path, string Parent)> Nearest(HybridIndex index, string field, float[] vector, int k)
    {
        using var lease = index.AcquireSearcher();
        var hits = lease.Searcher.Search(new KnnVectorQuery(field, vector, k), k);
        return hits.ScoreDocs.Select(hit => lease.Searcher.Doc(hit.Doc))
            .Select(doc => (doc.Get(IndexFieldNames.Id), (string?)doc.Get(IndexFieldNames.Path), doc.Get(IndexFieldNames.Parent)))
            .ToList();
    }

    /// <summary>The stored vector of the document with the given id, or null.</summary>
    public static float[]? StoredVector(HybridIndex index, string field, string id)
    {
        using var lease = index.AcquireSearcher();
        var hits = lease.Searcher.Search(new TermQuery(new Term(IndexFieldNames.Id, id)), 1);
        if (hits.TotalHits == 0)
        {
            return null;
        }

        var doc = hits.ScoreDocs[0].Doc;
        var leaves = lease.Searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var values = leaf.AtomicReader.GetBinaryDocValues(field) as HnswVectorValues;
        return values?.GetVector(doc - leaf.DocBase).ToArray();
    }
}
