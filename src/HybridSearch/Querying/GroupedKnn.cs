using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>The kNN search of the semantic and visual legs: filtered kNN on one vector field, grouped by record.</summary>
internal static class GroupedKnn
{
    /// <summary>Asks for twice the window in documents and deepens (<see cref="RecordGrouping.GroupDeepening"/>) while
    /// records share documents and more may exist.</summary>
    /// <param name="searcher">The searcher of the query.</param>
    /// <param name="field">The vector field.</param>
    /// <param name="vector">The query vector.</param>
    /// <param name="embedder">The name of the embedder of <paramref name="vector"/>, checked against the field's.</param>
    /// <param name="filter">The query's filter, or null.</param>
    /// <param name="window">How many records to return.</param>
    /// <param name="ef">Beam width of the graph search, or null for the query's default.</param>
    public static List<LegCandidate> Search(IndexSearcher searcher, string field, float[] vector, string embedder, Query? filter, int window, int? ef)
    {
        var maxDoc = Math.Max(searcher.IndexReader.MaxDoc, 1);
        return RecordGrouping.GroupDeepening(searcher, window, maxDoc, k =>
        {
            var top = searcher.Search(new KnnVectorQuery(field, vector, k, filter, ef) { ExpectedEmbedder = embedder }, k);
            return (top.ScoreDocs, top.ScoreDocs.Length < k);
        });
    }
}
