namespace HybridSearch.Graph;

/// <summary>Builds <see cref="HnswGraph"/>s by inserting ordinals 0..count-1 one at a time.</summary>
public static class HnswGraphBuilder
{
    /// <summary>
    /// Builds the graph of <paramref name="count"/> vectors scored by <paramref name="scorer"/>, single-threaded.
    /// Node levels come from a generator seeded with <see cref="HnswBuildOptions.Seed"/> (floor(-ln(U) / ln(M))),
    /// neighbours are chosen with the HNSW diversity heuristic both on insertion and when an over-full list is
    /// pruned, and ties break by ordinal, so the same inputs and seed always give identical arrays. After insertion,
    /// any level-0 node not reachable from the entry point is linked from its nearest reachable node with spare room.
    /// </summary>
    /// <typeparam name="TScorer">Struct scorer, so the JIT specialises the build for it.</typeparam>
    /// <param name="scorer">Scores pairs of ordinals in 0..count-1 (higher = more similar).</param>
    /// <param name="count">Number of vectors.</param>
    /// <param name="options">Build parameters; null means the defaults.</param>
    public static HnswGraph Build<TScorer>(TScorer scorer, int count, HnswBuildOptions? options = null)
        where TScorer : struct, IHnswScorer
    {
        options ??= new HnswBuildOptions();
        CheckCount(count, options);
        var state = new HnswBuildState<TScorer>(scorer, count, options);
        for (int node = 0; node < count; node++)
        {
            state.Insert(node);
        }

        state.ConnectLevel0Components();
        return state.ToGraph();
    }

    /// <summary>
    /// Builds the same kind of graph as <see cref="Build{TScorer}"/> on <paramref name="threads"/> threads, with
    /// striped per-node locks (hnswlib style). Levels still come from the seed, but the insertion interleaving, and so
    /// the exact links, depend on thread timing: the graph is equivalent in quality, not identical between runs.
    /// </summary>
    /// <typeparam name="TScorer">Struct scorer; its Score must be safe to call from several threads at once.</typeparam>
    /// <param name="scorer">Scores pairs of ordinals in 0..count-1 (higher = more similar).</param>
    /// <param name="count">Number of vectors.</param>
    /// <param name="options">Build parameters; null means the defaults.</param>
    /// <param name="threads">Worker threads (1..64); 1 runs the deterministic single-threaded build.</param>
    public static HnswGraph BuildParallel<TScorer>(TScorer scorer, int count, HnswBuildOptions? options, int threads)
        where TScorer : struct, IHnswScorer
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 64);
        if (threads == 1)
        {
            return Build(scorer, count, options);
        }

        options ??= new HnswBuildOptions();
        CheckCount(count, options);
        var state = new HnswBuildState<TScorer>(scorer, count, options);
        state.InsertAllParallel(threads);
        state.ConnectLevel0Components();
        return state.ToGraph();
    }

    private static void CheckCount(int count, HnswBuildOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)count * (2 * options.M + 1) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} nodes with M = {options.M} exceed the largest level-0 array.");
        }
    }
}
