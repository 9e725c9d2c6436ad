namespace HybridSearch.Graph;

/// <summary>
/// Striped locks over the nodes of a parallel build: node i is guarded by stripe i mod the stripe count. A thread
/// holds at most one stripe at a time, so stripes cannot deadlock. Single-threaded builds have none and take no locks.
/// </summary>
internal sealed class HnswNodeLocks
{
    // Enough stripes that two threads rarely want the same one, few enough to stay small for huge graphs.
    private const int MaxStripes = 4096;

    private readonly object[] _stripes;

    /// <summary>Creates the stripes for a graph of <paramref name="count"/> nodes.</summary>
    public HnswNodeLocks(int count)
    {
        _stripes = new object[Math.Min(MaxStripes, Math.Max(1, count))];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new object();
        }
    }

    /// <summary>The lock that guards <paramref name="node"/>'s neighbour lists.</summary>
    public object For(int node) => _stripes[node % _stripes.Length];
}
