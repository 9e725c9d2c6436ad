using HybridSearch.Codecs;
using HybridSearch.Graph;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>
/// Estimates what "unrelated" scores for a query vector in a field: the query is scored against an even sample of the
/// field's vectors and a high percentile of those scores is taken. Embedders differ a lot here (MiniLM puts unrelated
/// texts near cosine 0.1, ResNet18's non-negative features put unrelated images near 0.5), so a fixed floor would be
/// right for one model and wrong for the next; sampling the index itself is model-agnostic and costs a few hundred
/// dot products.
/// </summary>
internal static class KnnBackground
{
    /// <summary>How many stored vectors are sampled at most.</summary>
    public const int SampleSize = 256;

    /// <summary>The percentile of sampled scores taken as the floor: nearly all unrelated documents score below it
    /// (0.97 kept off-topic legs from dragging strong ones down on MED, CISI and Cranfield; 0.9 did not quite).</summary>
    public const double Percentile = 0.97;

    /// <summary>The background score (in <see cref="KnnVectorQuery"/> score units), or null when the field has no vectors.</summary>
    public static float? Score(IndexSearcher searcher, string field, float[] query)
    {
        if (Sample(searcher, field, query) is not { Sorted: var scores })
        {
            return null;
        }

        return scores[Math.Min(scores.Length - 1, (int)Math.Floor(Percentile * (scores.Length - 1)))];
    }

    /// <summary>The percentile over samples of disjoint indexes (the shards of one collection), each value weighed by
    /// the vectors it stands for: equal to <see cref="Score"/> on one index holding them all when every vector is in
    /// a sample (at most <see cref="SampleSize"/> per shard), an estimate of the same percentile otherwise.</summary>
    public static float Pool(IEnumerable<(float[] Sorted, long Vectors)> samples)
    {
        var weighted = samples.Where(s => s.Sorted.Length > 0)
            .SelectMany(s => s.Sorted.Select(v => (Value: v, Weight: s.Vectors / (double)s.Sorted.Length)))
            .OrderBy(p => p.Value).ToList();
        // As Score's index Percentile·(n−1) into n samples, in units of weight: Percentile·(W − mean weight).
        var total = weighted.Sum(p => p.Weight);
        var target = Percentile * (total - total / weighted.Count);
        var cumulative = 0.0;
        foreach (var (value, weight) in weighted)
        {
            // 1e-9: weights are ratios of integers; a sum that should reach the target exactly must not miss it by rounding.
            if (cumulative + weight > target + 1e-9)
            {
                return value;
            }

            cumulative += weight;
        }

        return weighted[^1].Value;
    }

    /// <summary>Scores of an even stride of at most <see cref="SampleSize"/> vectors of <paramref name="field"/>
    /// against the query, sorted, with the number of vectors they sample; null when the field has none.</summary>
    public static (float[] Sorted, long Vectors)? Sample(IndexSearcher searcher, string field, float[] query)
    {
        var leaves = new List<HnswVectorValues>();
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var info = leaf.AtomicReader.FieldInfos.FieldInfo(field);
            if (info is not null && leaf.AtomicReader.GetBinaryDocValues(field) is HnswVectorValues values && values.Count > 0)
            {
                leaves.Add(values);
            }
        }

        var total = leaves.Sum(v => (long)v.Count);
        if (total == 0)
        {
            return null;
        }

        var options = leaves[0].Options;
        if (query.Length != options.Dimension)
        {
            return null; // KnnVectorQuery reports the dimension error itself.
        }

        var target = KnnVectorQuery.PrepareTarget(field, query, options.Similarity);
        var scorers = leaves.Select(v => v.FloatScorer(target)).ToArray();

        // An even stride over all ordinals of all segments: deterministic for a given index.
        var sample = (int)Math.Min(SampleSize, total);
        var scores = new float[sample];
        var stride = total / (double)sample;
        for (var i = 0; i < sample; i++)
        {
            var global = (long)(i * stride);
            var leaf = 0;
            while (global >= leaves[leaf].Count)
            {
                global -= leaves[leaf].Count;
                leaf++;
            }

            scores[i] = KnnVectorQuery.ToScore(options.Similarity, scorers[leaf].Score((int)global));
        }

        Array.Sort(scores);
        return (scores, total);
    }
}
