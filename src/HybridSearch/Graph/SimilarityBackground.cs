namespace HybridSearch.Graph;

/// <summary>
/// How the query scores against vectors unrelated to it, estimated from the first vectors a search scores: the entry
/// point and the upper-level nodes the greedy descent meets before it has closed in on anything, which are spread
/// over the whole graph. Used to tell a walk that found a neighbourhood from one that wandered among strangers
/// (<see cref="Explains"/>). Centre and spread are robust (median, and 1.4826 x the median absolute deviation: the
/// standard deviation for normal scores), because a sample is rarely all strangers: the descent moves toward the
/// query while it samples, and a probe of level 1 on data in a few dozen clusters holds some of the query's own cluster
/// (1 in 40 with 40 clusters), whose high scores would inflate a plain standard deviation and raise the line above
/// walks that did find their neighbourhood.
/// </summary>
/// <param name="Centre">Median similarity of the sampled vectors.</param>
/// <param name="Spread">Their spread: 1.4826 x the median absolute deviation from <paramref name="Centre"/>.</param>
/// <param name="Samples">How many vectors were sampled.</param>
internal readonly record struct SimilarityBackground(double Centre, double Spread, int Samples)
{
    // Median absolute deviation to standard deviation, for normal draws: 1 / Phi^-1(3/4).
    private const double NormalMadScale = 1.4826;

    /// <summary>The background of <paramref name="scores"/> (reordered in place, then overwritten: scratch).</summary>
    public static SimilarityBackground Of(Span<float> scores)
    {
        int n = scores.Length;
        if (n < 2)
        {
            return new SimilarityBackground(0, 0, n);
        }

        double centre = SortedMedian(scores);
        for (int i = 0; i < n; i++)
        {
            scores[i] = (float)Math.Abs(scores[i] - centre);
        }

        return new SimilarityBackground(centre, NormalMadScale * SortedMedian(scores), n);
    }

    private static double SortedMedian(Span<float> values)
    {
        values.Sort();
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }

    /// <summary>Vectors the descent samples at most (the first ones it scores).</summary>
    public const int MaxSamples = 32;

    /// <summary>Fewer samples than this say nothing (a small graph's descent is short).</summary>
    public const int MinSamples = 16;

    /// <summary>
    /// True when <paramref name="best"/> is no higher than the best of <paramref name="population"/> unrelated vectors
    /// would score by chance: centre + spread x sqrt(2 ln n), the expected maximum of n normal draws. A walk whose best
    /// hit is that low found nothing that stands out from the crowd; on data whose clusters give the greedy descent no
    /// gradient toward the query's (many well-separated clusters, none nearer the query than another), it has wandered
    /// among strangers. A walk that found a real neighbourhood sits well above (session 12: 1M x 512 in 10,000
    /// clusters, lost walks' best ~4 spreads above the mean, found ones ~7; the threshold for a million is 5.3).
    /// </summary>
    /// <param name="best">The best similarity the walk found.</param>
    /// <param name="population">How many vectors the walk chose among.</param>
    public bool Explains(float best, int population)
    {
        if (Samples < MinSamples || !(Spread > 1e-6) || population < 2)
        {
            return false;
        }

        return best < Centre + (Spread * Math.Sqrt(2 * Math.Log(population)));
    }
}
