using System.IO.Hashing;
using System.Runtime.CompilerServices;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace HybridSearch.Querying;

/// <summary>
/// Estimates what "unrelated" scores for a query vector in a field: the query is scored against a sample of the
/// field's vectors and a high percentile of those scores is taken. Embedders differ a lot here (MiniLM puts unrelated
/// texts near cosine 0.1, ResNet18's non-negative features put unrelated images near 0.5), so a fixed floor would be
/// right for one model and wrong for the next; sampling the index itself is model-agnostic and costs a few hundred
/// dot products.
/// </summary>
/// <remarks>
/// The sample is a bottom-k sketch: the <see cref="SampleSize"/> live vectors whose document id
/// (<see cref="IndexFieldNames.Id"/>: the record id, <c>id#chunk/3</c>, <c>id#image/0</c>) has the smallest
/// XxHash64. It depends only on which documents are live, not on how they are laid out in segments, merged, deleted
/// and re-added, or spread over shards; and it merges: the union of disjoint indexes' sketches cut to the
/// <see cref="SampleSize"/> smallest hashes is exactly the sketch of one index holding them all
/// (<see cref="Pool"/>), so a sharded index computes the same background score as a single one. Per segment and
/// field the vectors' hashes are computed once and cached sorted with the segment's vectors (12 bytes per vector).
/// Ties between two equal 64-bit hashes are broken by segment order; they are astronomically rare at this size.
/// </remarks>
internal static class KnnBackground
{
    /// <summary>How many stored vectors are sampled at most.</summary>
    public const int SampleSize = 256;

    /// <summary>The percentile of sampled scores taken as the floor: nearly all unrelated documents score below it
    /// (0.97 kept off-topic legs from dragging strong ones down on MED, CISI and Cranfield; 0.9 did not quite).</summary>
    public const double Percentile = 0.97;

    // Keyed by the segment's vector values, which the codec loads once per segment core: dropped with the segment.
    private static readonly ConditionalWeakTable<HnswVectorValues, SegmentKeyOrder> KeyOrders = new();

    /// <summary>The background score (in <see cref="KnnVectorQuery"/> score units), or null when the field has no vectors.</summary>
    public static float? Score(IndexSearcher searcher, string field, float[] query) =>
        Sample(searcher, field, query) is { } sample ? Pool([sample]) : null;

    /// <summary>The background score of the collection whose disjoint parts (shards) produced
    /// <paramref name="samples"/>: equal to <see cref="Score"/> on one index holding them all. Null when no part
    /// has a vector in the field.</summary>
    public static float? Pool(IEnumerable<KnnBackgroundSample> samples)
    {
        var merged = samples.SelectMany(s => s.KeyHashes.Select((hash, i) => (Hash: hash, Score: s.Scores[i])))
            .OrderBy(p => p.Hash).Take(SampleSize).Select(p => p.Score).ToArray();
        if (merged.Length == 0)
        {
            return null;
        }

        Array.Sort(merged);
        return merged[Math.Min(merged.Length - 1, (int)Math.Floor(Percentile * (merged.Length - 1)))];
    }

    /// <summary>The query's scores against this index's sketch of <paramref name="field"/> (at most
    /// <see cref="SampleSize"/> live vectors with the smallest id hashes), in hash order; null when the field has
    /// no live vector or the query has another dimension (the kNN query reports that itself).</summary>
    public static KnnBackgroundSample? Sample(IndexSearcher searcher, string field, float[] query)
    {
        var picks = new List<(ulong Hash, int Leaf, int Ordinal)>();
        var leaves = new List<HnswVectorValues>();
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            if (reader.FieldInfos.FieldInfo(field) is null || reader.GetBinaryDocValues(field) is not HnswVectorValues { Count: > 0 } values)
            {
                continue;
            }

            var order = KeyOrders.GetValue(values, v => SegmentKeyOrder.Build(reader, v));
            var live = reader.LiveDocs;
            var taken = 0;
            for (var i = 0; i < order.Hashes.Length && taken < SampleSize; i++)
            {
                var ordinal = order.Ordinals[i];
                if (live is null || live.Get(values.OrdToDoc[ordinal]))
                {
                    picks.Add((order.Hashes[i], leaves.Count, ordinal));
                    taken++;
                }
            }

            leaves.Add(values);
        }

        if (picks.Count == 0)
        {
            return null;
        }

        var options = leaves[0].Options;
        if (query.Length != options.Dimension)
        {
            return null;
        }

        picks.Sort(static (a, b) => a.Hash.CompareTo(b.Hash));
        var count = Math.Min(SampleSize, picks.Count);
        var target = KnnVectorQuery.PrepareTarget(field, query, options.Similarity);
        var hashes = new ulong[count];
        var scores = new float[count];

        // The scorers read the vectors in place from the mapped files: hold them until the sample is scored.
        var leases = leaves.Select(v => v.Acquire()).ToList();
        try
        {
            var scorers = leaves.Select(v => v.FloatScorer(target)).ToArray();
            for (var i = 0; i < count; i++)
            {
                var (hash, leaf, ordinal) = picks[i];
                hashes[i] = hash;
                scores[i] = KnnVectorQuery.ToScore(options.Similarity, scorers[leaf].Score(ordinal));
            }
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }

        return new KnnBackgroundSample(field, hashes, scores);
    }

    /// <summary>One segment's vector ordinals of a field, ordered by the XxHash64 of their document's id.</summary>
    private sealed class SegmentKeyOrder(ulong[] hashes, int[] ordinals)
    {
        public ulong[] Hashes { get; } = hashes;

        public int[] Ordinals { get; } = ordinals;

        public static SegmentKeyOrder Build(AtomicReader reader, HnswVectorValues values)
        {
            // The id field cache is the one RecordGrouping.DocumentId already un-inverts for explanations.
            var ids = FieldCache.DEFAULT.GetTerms(reader, IndexFieldNames.Id, false);
            var id = new BytesRef();
            var hashes = new ulong[values.Count];
            var ordinals = new int[values.Count];
            for (var ordinal = 0; ordinal < values.Count; ordinal++)
            {
                ids.Get(values.OrdToDoc[ordinal], id);
                hashes[ordinal] = XxHash64.HashToUInt64(id.Bytes.AsSpan(id.Offset, id.Length));
                ordinals[ordinal] = ordinal;
            }

            Array.Sort(hashes, ordinals);
            return new SegmentKeyOrder(hashes, ordinals);
        }
    }
}
