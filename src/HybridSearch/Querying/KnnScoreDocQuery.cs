using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace HybridSearch.Querying;

/// <summary>
/// The result of rewriting a <see cref="KnnVectorQuery"/>: a fixed set of top-level document ids with their scores,
/// valid only for the reader it was computed on.
/// </summary>
internal sealed class KnnScoreDocQuery : Query
{
    private readonly int[] _docs;      // ascending
    private readonly float[] _scores;  // parallel to _docs
    private readonly IndexReader _reader;
    private readonly KnnVectorQuery _source;

    private KnnScoreDocQuery(IndexReader reader, int[] docs, float[] scores, KnnVectorQuery source)
    {
        _reader = reader;
        _docs = docs;
        _scores = scores;
        _source = source;
    }

    /// <summary>Keeps the k best of the per-segment candidates (ties by lower document id).</summary>
    public static KnnScoreDocQuery TopK(IndexReader reader, List<int> docs, List<float> scores, int k, float boost, KnnVectorQuery source)
    {
        // Best first (ties by lower doc), keep k, then order by doc for the scorer; arrays, not LINQ, on this per-query path.
        var n = docs.Count;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byScore = scores[b].CompareTo(scores[a]);
            return byScore != 0 ? byScore : docs[a].CompareTo(docs[b]);
        });
        var keep = Math.Min(k, n);
        var topDocs = new int[keep];
        var topScores = new float[keep];
        for (var i = 0; i < keep; i++)
        {
            topDocs[i] = docs[order[i]];
            topScores[i] = scores[order[i]];
        }

        Array.Sort(topDocs, topScores);
        return new KnnScoreDocQuery(reader, topDocs, topScores, source) { Boost = boost };
    }

    public override Query Rewrite(IndexReader reader) => this;

    public override Weight CreateWeight(IndexSearcher searcher)
    {
        if (!ReferenceEquals(searcher.IndexReader, _reader))
        {
            throw new InvalidOperationException("A rewritten kNN query can only be used with the reader it was rewritten against.");
        }

        return new KnnWeight(this);
    }

    public override string ToString(string field) => $"{_source.ToString(field)}[{_docs.Length} hits]";

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    private sealed class KnnWeight(KnnScoreDocQuery query) : Weight
    {
        private float _queryWeight = query.Boost;

        public override Query Query => query;

        public override float GetValueForNormalization() => query.Boost * query.Boost;

        public override void Normalize(float norm, float topLevelBoost) => _queryWeight = query.Boost * norm * topLevelBoost;

        public override Scorer? GetScorer(AtomicReaderContext context, IBits? acceptDocs)
        {
            var docBase = context.DocBase;
            var lo = LowerBound(query._docs, docBase);
            var hi = LowerBound(query._docs, docBase + context.Reader.MaxDoc);
            return lo == hi ? null : new KnnScorer(this, query, docBase, lo, hi, acceptDocs, _queryWeight);
        }

        public override Explanation Explain(AtomicReaderContext context, int doc)
        {
            var global = context.DocBase + doc;
            var i = Array.BinarySearch(query._docs, global);
            if (i < 0)
            {
                return new Explanation(0f, $"not among the nearest documents of {query._source}");
            }

            var explanation = new Explanation(query._scores[i] * _queryWeight, $"within top {query._source.K} of {query._source}, product of:");
            explanation.AddDetail(new Explanation(query._scores[i], "vector similarity score"));
            explanation.AddDetail(new Explanation(_queryWeight, "query weight (boost x norm)"));
            return explanation;
        }

        private static int LowerBound(int[] docs, int value)
        {
            var i = Array.BinarySearch(docs, value);
            return i < 0 ? ~i : i;
        }
    }

    private sealed class KnnScorer(Weight weight, KnnScoreDocQuery query, int docBase, int lo, int hi, IBits? acceptDocs, float queryWeight) : Scorer(weight)
    {
        private int _index = lo - 1;
        private int _doc = -1;

        public override int DocID => _doc;

        public override int Freq => 1;

        public override float GetScore() => query._scores[_index] * queryWeight;

        public override int NextDoc()
        {
            while (++_index < hi)
            {
                var doc = query._docs[_index] - docBase;
                if (acceptDocs is null || acceptDocs.Get(doc))
                {
                    return _doc = doc;
                }
            }

            return _doc = NO_MORE_DOCS;
        }

        public override int Advance(int target)
        {
            int doc;
            while ((doc = NextDoc()) < target)
            {
            }

            return doc;
        }

        public override long GetCost() => hi - lo;
    }
}
