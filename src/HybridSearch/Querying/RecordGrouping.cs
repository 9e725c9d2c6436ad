using HybridSearch.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace HybridSearch.Querying;

/// <summary>Groups a leg's document hits by parent record, keeping each record's best document. Parent ids and kinds
/// are read from the field cache (un-inverted once per segment and shared), because loading stored fields for
/// thousands of hits per query would cost more than the search itself.</summary>
internal static class RecordGrouping
{
    /// <summary>Records of <paramref name="hits"/> in first-seen order (hits are best first, so the first document of
    /// a record is its best), then sorted by score descending with ties broken by record id for determinism.</summary>
    public static List<LegCandidate> Group(IndexSearcher searcher, ScoreDoc[] hits)
    {
        var leaves = searcher.IndexReader.Leaves;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<LegCandidate>();
        var parent = new BytesRef();
        var kind = new BytesRef();
        foreach (var hit in hits)
        {
            var leafIndex = ReaderUtil.SubIndex(hit.Doc, leaves);
            var leaf = leaves[leafIndex];
            var local = hit.Doc - leaf.DocBase;
            FieldCache.DEFAULT.GetTerms(leaf.AtomicReader, IndexFieldNames.Parent, false).Get(local, parent);
            var id = parent.Utf8ToString();
            if (seen.Add(id))
            {
                FieldCache.DEFAULT.GetTerms(leaf.AtomicReader, IndexFieldNames.Kind, false).Get(local, kind);
                result.Add(new LegCandidate(id, hit.Score, hit.Doc, RecordDocumentReader.KindOf(kind.Utf8ToString())));
            }
        }

        SortBestFirst(result);
        return result;
    }

    /// <summary>The <see cref="IndexFieldNames.Id"/> of a top-level doc, from the field cache.</summary>
    public static string DocumentId(IndexSearcher searcher, int doc)
    {
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var id = new BytesRef();
        FieldCache.DEFAULT.GetTerms(leaf.AtomicReader, IndexFieldNames.Id, false).Get(doc - leaf.DocBase, id);
        return id.Utf8ToString();
    }

    /// <summary>Score descending, then record id ordinal: the order fusion's ranks are taken from.</summary>
    public static void SortBestFirst(List<LegCandidate> candidates) =>
        candidates.Sort(static (x, y) =>
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(x.RecordId, y.RecordId);
        });

    /// <summary>
    /// A window of records from a leg whose documents share records: children of one record count once, so the leg is
    /// asked for twice the window in documents (at least 16) and asked again twice as deep until the window is full,
    /// the leg has no more hits, or <paramref name="maxDepth"/> is reached. The one deepening loop of every leg.
    /// </summary>
    /// <param name="searcher">The searcher the documents come from.</param>
    /// <param name="window">How many records the leg should return.</param>
    /// <param name="maxDepth">The deepest the leg can be asked (its document count), or null when it has no cap.</param>
    /// <param name="search">Runs the leg for a depth: its hits best first, and whether it has no more than those.</param>
    public static List<LegCandidate> GroupDeepening(IndexSearcher searcher, int window, int? maxDepth, Func<int, (ScoreDoc[] Hits, bool Exhausted)> search)
    {
        var depth = Math.Max(window * 2, 16);
        if (maxDepth is int cap)
        {
            depth = Math.Min(depth, cap);
        }

        while (true)
        {
            var (hits, exhausted) = search(depth);
            var candidates = Group(searcher, hits);
            if (candidates.Count >= window || exhausted || depth >= maxDepth)
            {
                Trim(candidates, window);
                return candidates;
            }

            depth = maxDepth is int limit ? Math.Min(depth * 2, limit) : depth * 2;
        }
    }

    /// <summary>Keeps the first <paramref name="window"/> candidates.</summary>
    public static void Trim(List<LegCandidate> candidates, int window)
    {
        if (candidates.Count > window)
        {
            candidates.RemoveRange(window, candidates.Count - window);
        }
    }
}
