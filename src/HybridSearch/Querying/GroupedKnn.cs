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
            var top = searcher.Search(new KnnVectorQuery(field, vector, k, filter, ef) { ExpectedEmbedder = embedder, ExactSearchMaxEligible = ExactLegSearchMaxEligible(k, ef) }, k);
            return (top.ScoreDocs, top.ScoreDocs.Length < k);
        });
    }

    /// <summary>
    /// Up to how many eligible vectors a segment is searched exactly by a kNN leg: <see cref="ExactLegSearchBeamFactor"/>
    /// times the walk's beam (at least <see cref="KnnVectorQuery.ExactSearchThreshold"/>). A leg's window is deep (100
    /// records: 200 documents, beam 200) and fusion scores every record in it, so an approximate walk that misses a
    /// document at rank 150 changes fused scores; and an index and its shards (different graphs) would miss different
    /// ones. Below this size the exact scan costs less than the walk (a beam of 200 on a 2,553-document MedPix segment
    /// took 2.3x the scan and found 99.1% of the top 200); larger segments keep the graph.
    /// </summary>
    internal static int ExactLegSearchMaxEligible(int k, int? ef) =>
        Math.Max(KnnVectorQuery.ExactSearchThreshold, ExactLegSearchBeamFactor * Math.Max(ef ?? Math.Max(k, 64), k));

    /// <summary>Segment size, in beams, below which a kNN leg searches exactly (<see cref="ExactLegSearchMaxEligible"/>).</summary>
    internal const int ExactLegSearchBeamFactor = 16;
}
