namespace HybridSearch.Graph;

/// <summary>
/// How the query scores against vectors unrelated to it, estimated from the first vectors a search scores: the entry
/// point and the upper-level nodes the greedy descent meets before it has closed in on anything, which are spread
/// over the whole graph. Used to tell a walk that found a neighbourhood from one that wandered among strangers
/// (<see cref="Explains"/>).
/// </summary>
/// <param name="Mean">Mean similarity of the sampled vectors.</param>
/// <param name="Spread">Their standard deviation.</param>
/// <param name="Samples">How many vectors were sampled.</param>
internal readonly record struct SimilarityBackground(double Mean, double Spread, int Samples)
{
    /// <summary>Vectors the descent samples at most (the first ones it scores).</summary>
    public const int MaxSamples = 32;

    /// <summary>Fewer samples than this say nothing (a small graph's descent is short).</summary>
    public const int MinSamples = 16;

    /// <summary>
    /// True when <paramref name="best"/> is no higher than the best of <paramref name="population"/> unrelated vectors
    /// would score by chance: mean + spread x sqrt(2 ln n), the expected maximum of n normal draws. A walk whose best
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

        return best < Mean + (Spread * Math.Sqrt(2 * Math.Log(population)));
    }
}
