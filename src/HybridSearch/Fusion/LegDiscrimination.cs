namespace HybridSearch.Fusion;

/// <summary>
/// The per-query signals of a leg's window (see <see cref="LegSignal"/> for each signal's formula); the base is what
/// <see cref="FusionOptions.Discrimination"/> uses.
/// </summary>
internal static class LegDiscrimination
{
    /// <summary>The signals of one leg, from its evidence values (best first, in [0, 1]); weights filled in later.</summary>
    public static LegSignal Measure(string leg, double[] evidence, FusionOptions options)
    {
        if (evidence.Length == 0 || evidence[0] <= 0)
        {
            return new LegSignal(leg, evidence.Length, 0, 0, 0, 0, 0, 0, 1, 0);
        }

        var best = evidence[0];
        var nearTies = 0;
        while (nearTies < evidence.Length && evidence[nearTies] >= (1 - options.TieMargin) * best)
        {
            nearTies++;
        }

        var k = Math.Min(options.SignalDepth, evidence.Length);
        var gap = evidence.Length == 1 ? 1.0 : (best - evidence[k - 1]) / best;
        var mean = 0.0;
        for (var i = 0; i < k; i++)
        {
            mean += evidence[i];
        }

        mean /= k;
        var variance = 0.0;
        for (var i = 0; i < k; i++)
        {
            variance += (evidence[i] - mean) * (evidence[i] - mean);
        }

        return new LegSignal(leg, evidence.Length, best, nearTies, gap, Math.Sqrt(variance / k), mean, evidence.Length < options.SignalDepth ? 0 : evidence[k - 1], 1, 0);
    }
}
