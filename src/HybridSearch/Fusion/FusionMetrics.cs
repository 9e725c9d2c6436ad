namespace HybridSearch.Fusion;

/// <summary>The two measures <see cref="FusionTuner"/> fits to: MRR@10 and nDCG@10 with binary relevance.</summary>
public static class FusionMetrics
{
    /// <summary>1 / rank of the first relevant record within the first 10 of <paramref name="fused"/>; 0 when none.</summary>
    /// <param name="fused">A fused list, best first.</param>
    /// <param name="relevant">The relevant record keys.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static double ReciprocalRankAt10(IReadOnlyList<FusedHit> fused, IReadOnlySet<string> relevant)
    {
        ArgumentNullException.ThrowIfNull(fused);
        ArgumentNullException.ThrowIfNull(relevant);
        for (var i = 0; i < Math.Min(10, fused.Count); i++)
        {
            if (relevant.Contains(fused[i].Key))
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    /// <summary>
    /// nDCG@10 with binary gains: <c>Σ_{i ≤ 10, d_i relevant} 1 / log2(i + 1)</c> divided by the same sum for an ideal
    /// list (<c>min(10, |relevant|)</c> relevant records first); 0 when nothing is relevant.
    /// </summary>
    /// <param name="fused">A fused list, best first.</param>
    /// <param name="relevant">The relevant record keys.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static double NdcgAt10(IReadOnlyList<FusedHit> fused, IReadOnlySet<string> relevant)
    {
        ArgumentNullException.ThrowIfNull(fused);
        ArgumentNullException.ThrowIfNull(relevant);
        double dcg = 0, ideal = 0;
        for (var i = 0; i < Math.Min(10, fused.Count); i++)
        {
            dcg += relevant.Contains(fused[i].Key) ? 1 / Math.Log2(i + 2) : 0;
        }

        for (var i = 0; i < Math.Min(10, relevant.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return ideal == 0 ? 0 : dcg / ideal;
    }
}
