namespace HybridSearch.Fusion;

/// <summary>The measure <see cref="FusionTuner"/> maximises (see <see cref="FusionMetrics"/>).</summary>
public enum TuningMetric
{
    /// <summary>Mean reciprocal rank of the first relevant record within the first 10.</summary>
    MrrAt10 = 0,

    /// <summary>nDCG@10 with binary gains.</summary>
    NdcgAt10 = 1,
}
