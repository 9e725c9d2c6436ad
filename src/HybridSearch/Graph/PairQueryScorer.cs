using System.Runtime.CompilerServices;

namespace HybridSearch.Graph;

/// <summary>Binds a pair scorer to one stored node so the builder can reuse the query search for insertion.</summary>
internal struct PairQueryScorer<TScorer> : IHnswQueryScorer
    where TScorer : struct, IHnswScorer
{
    private readonly TScorer _scorer;
    private readonly int _node;

    public PairQueryScorer(TScorer scorer, int node)
    {
        _scorer = scorer;
        _node = node;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int ord) => _scorer.Score(_node, ord);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int ord) => _scorer.Prefetch(ord);
}
