namespace HybridSearch.Graph;

/// <summary>The HNSW neighbour-selection heuristic, shared by insertion, pruning of an over-full list and the
/// repair of a seeded node that lost neighbours.</summary>
internal static class HnswNeighbourSelection
{
    /// <summary>
    /// hnswlib's getNeighborsByHeuristic2: walks the candidates best first and keeps one only if it is closer to the
    /// base node than to every neighbour kept so far, up to <paramref name="max"/>. Fewer than <paramref name="max"/>
    /// candidates are all kept.
    /// </summary>
    /// <param name="scorer">Scores pairs of ordinals (held by reference, not copied).</param>
    /// <param name="ords">Candidates, best first.</param>
    /// <param name="scores">Each candidate's score to the base node, parallel to <paramref name="ords"/>.</param>
    /// <param name="count">Number of candidates.</param>
    /// <param name="max">Most neighbours to keep.</param>
    /// <param name="outOrds">Receives the kept neighbours, best first.</param>
    /// <param name="outScores">Receives their scores to the base node.</param>
    /// <returns>How many were kept.</returns>
    public static int SelectDiverse<TScorer>(ref TScorer scorer, int[] ords, float[] scores, int count, int max, int[] outOrds, float[] outScores)
        where TScorer : struct, IHnswScorer
    {
        if (count < max)
        {
            Array.Copy(ords, outOrds, count);
            Array.Copy(scores, outScores, count);
            return count;
        }

        int kept = 0;
        for (int i = 0; i < count && kept < max; i++)
        {
            if (i + 1 < count)
            {
                // The kept neighbours stay cached across iterations; the next candidate is the likely miss.
                scorer.Prefetch(ords[i + 1]);
            }

            int candidate = ords[i];
            float toBase = scores[i];
            bool diverse = true;
            for (int j = 0; j < kept; j++)
            {
                if (scorer.Score(candidate, outOrds[j]) > toBase)
                {
                    diverse = false;
                    break;
                }
            }

            if (diverse)
            {
                outOrds[kept] = candidate;
                outScores[kept] = toBase;
                kept++;
            }
        }

        return kept;
    }
}
