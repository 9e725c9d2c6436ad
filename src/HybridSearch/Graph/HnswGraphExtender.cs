namespace HybridSearch.Graph;

/// <summary>
/// Builds a graph that starts from an existing one (the largest segment's, in a merge) and inserts only the nodes it
/// lacks, instead of building everything from nothing.
/// </summary>
internal static class HnswGraphExtender
{
    /// <summary>
    /// Builds the graph of <paramref name="count"/> vectors whose nodes named by <paramref name="seedToNew"/> (seed
    /// ordinal to new ordinal, -1 for a node deleted since) come with their levels and links from <paramref name="seed"/>;
    /// the other nodes are inserted in ordinal order as a build would (levels drawn from the seed of
    /// <paramref name="options"/>), then unreachable nodes are linked in. Deterministic with one thread.
    /// </summary>
    /// <param name="scorer">Scores pairs of new ordinals.</param>
    /// <param name="count">Number of nodes of the new graph.</param>
    /// <param name="options">Build parameters; M must be the seed's.</param>
    /// <param name="seed">The graph to start from.</param>
    /// <param name="seedToNew">Per seed ordinal, its new ordinal or -1.</param>
    /// <param name="threads">Threads inserting the new nodes (1..64).</param>
    public static HnswGraph Extend<TScorer>(TScorer scorer, int count, HnswBuildOptions options, HnswGraph seed, int[] seedToNew, int threads)
        where TScorer : struct, IHnswScorer
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(seedToNew);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 64);
        var state = new HnswBuildState<TScorer>(scorer, count, options);
        state.SeedFrom(seed, seedToNew);
        var seeded = new bool[count];
        foreach (int node in seedToNew)
        {
            if (node >= 0)
            {
                seeded[node] = true;
            }
        }

        var rest = new int[count - seeded.Count(static s => s)];
        for (int node = 0, i = 0; node < count; node++)
        {
            if (!seeded[node])
            {
                rest[i++] = node;
            }
        }

        if (threads == 1)
        {
            foreach (int node in rest)
            {
                state.Insert(node);
            }
        }
        else
        {
            state.InsertParallel(rest, threads);
        }

        state.ConnectLevel0Components();
        return state.ToGraph();
    }
}
