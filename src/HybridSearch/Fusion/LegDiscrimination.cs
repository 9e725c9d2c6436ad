namespace HybridSearch.Fusion;

/// <summary>
/// The per-query signals of <see cref="FusionOptions.Discrimination"/>: how well each leg tells its best records apart
/// (see <see cref="LegSignal"/> for each signal's formula).
/// </summary>
internal static class LegDiscrimination
{
    /// <summary>The signals of one leg, from its evidence values (best first, in [0, 1]); weights filled in later.</summary>
    public static LegSignal Measure(string leg, double[] evidence, FusionOptions options)
    {
        if (evidence.Length == 0 || evidence[0] <= 0)
        {
            return new LegSignal(leg, evidence.Length, 0, 0, 0, 0, 0, 0, 1, 1, 0);
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

        var discrimination = Math.Min(1.0, gap / options.DiscriminationGap);
        return new LegSignal(leg, evidence.Length, best, nearTies, gap, Math.Sqrt(variance / k), mean, discrimination, 1, 1, 0);
    }

    /// <summary>
    /// Each leg's ranking share <c>ρ_l = d_l / max_j d_j</c> over the legs that count (weight above 0 and a record above
    /// the floor); 1 for every leg when none discriminates, so the legs never all stop ranking.
    /// </summary>
    public static double[] RankingShares(IReadOnlyList<LegSignal> signals, IReadOnlyList<double> weights)
    {
        var shares = new double[signals.Count];
        var most = 0.0;
        for (var l = 0; l < signals.Count; l++)
        {
            if (weights[l] > 0 && signals[l].Confidence > 0)
            {
                most = Math.Max(most, signals[l].Discrimination);
            }
        }

        for (var l = 0; l < signals.Count; l++)
        {
            shares[l] = most <= 0 || weights[l] <= 0 || signals[l].Confidence <= 0 ? 1.0 : signals[l].Discrimination / most;
        }

        return shares;
    }
}
