namespace HybridSearch.Graph;

/// <summary>
/// What one walk of the graph reads: the levels (level 0 as one block of stride 2M+1, the upper levels per node),
/// the query's scorer, the ordinals that may be returned and, in parallel builds, the node locks. The searcher's
/// level walks take it by <c>ref</c> instead of a long parameter list, and copy what their loops read into locals,
/// so the hot loop is the same as with separate parameters (no copy of the scorer, no interface call).
/// </summary>
/// <typeparam name="TScorer">Struct scorer, so the JIT specialises the walk for it.</typeparam>
internal ref struct HnswSearchContext<TScorer>
    where TScorer : struct, IHnswQueryScorer
{
    private readonly ref TScorer _scorer;

    /// <summary>Creates the context of a walk scored by <paramref name="scorer"/> (held by reference, not copied).</summary>
    /// <param name="scorer">Scores ordinals against the query.</param>
    /// <param name="level0">Level 0: per node a count then up to 2M neighbours.</param>
    /// <param name="upperByNode">Per node, its lists on levels 1..its level (count then up to M neighbours each), or null.</param>
    /// <param name="m">The graph's M.</param>
    /// <param name="acceptBits">Null to accept every ordinal; otherwise bit (i &amp; 63) of word i &gt;&gt; 6 accepts ordinal i.</param>
    /// <param name="locks">The node locks of a parallel build; null when nothing writes the graph concurrently.</param>
    public HnswSearchContext(ref TScorer scorer, ReadOnlySpan<int> level0, int[]?[] upperByNode, int m, ulong[]? acceptBits, HnswNodeLocks? locks)
    {
        _scorer = ref scorer;
        Level0 = level0;
        UpperByNode = upperByNode;
        M = m;
        AcceptBits = acceptBits;
        Locks = locks;
    }

    /// <summary>The query's scorer.</summary>
    public readonly ref TScorer Scorer => ref _scorer;

    /// <summary>Level 0: per node a count then up to 2M neighbours.</summary>
    public ReadOnlySpan<int> Level0 { get; }

    /// <summary>Per node, its lists on levels 1..its level, or null for a level-0 node.</summary>
    public int[]?[] UpperByNode { get; }

    /// <summary>The graph's M (upper lists hold up to M neighbours, level 0 up to 2M).</summary>
    public int M { get; }

    /// <summary>Null to accept every ordinal; otherwise the bit set of ordinals that may be returned.</summary>
    public ulong[]? AcceptBits { get; }

    /// <summary>The node locks of a parallel build; null otherwise.</summary>
    public HnswNodeLocks? Locks { get; }
}
