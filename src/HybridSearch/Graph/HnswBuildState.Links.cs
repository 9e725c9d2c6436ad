namespace HybridSearch.Graph;

/// <summary>Writing neighbour lists: a new node's own list, the reverse links to it, and the pruning of a list that
/// overflows with the diversity heuristic.</summary>
internal sealed partial class HnswBuildState<TScorer>
{
    /// <summary>Sets <paramref name="node"/>'s list on <paramref name="level"/> (under its lock in parallel builds).</summary>
    private void SetLinks(int node, int level, int[] ords, float[] scores, int count, HnswNodeLocks? locks)
    {
        object? nodeLock = locks?.For(node);
        if (nodeLock is not null)
        {
            Monitor.Enter(nodeLock);
        }

        try
        {
            ListOf(node, level, out int[] links, out int offset, out float[] linkScores, out int scoreOffset);
            Array.Copy(ords, 0, links, offset + 1, count);
            Array.Copy(scores, 0, linkScores, scoreOffset, count);
            links[offset] = count;
        }
        finally
        {
            if (nodeLock is not null)
            {
                Monitor.Exit(nodeLock);
            }
        }
    }

    /// <summary>Adds the link target -> node on a level, pruning the target's list with the heuristic when full.</summary>
    private void AddLink(int target, int node, float score, int level, HnswBuildWorker w)
    {
        HnswNodeLocks? locks = _nodeLocks;
        if (locks is null)
        {
            AddLinkUnlocked(target, node, score, level, w);
            return;
        }

        lock (locks.For(target))
        {
            AddLinkUnlocked(target, node, score, level, w);
        }
    }

    private void AddLinkUnlocked(int target, int node, float score, int level, HnswBuildWorker w)
    {
        int maxConn = level == 0 ? _maxConn0 : _m;
        ListOf(target, level, out int[] links, out int offset, out float[] scores, out int scoreOffset);
        int n = links[offset];
        if (n < maxConn)
        {
            links[offset + 1 + n] = node;
            scores[scoreOffset + n] = score;
            links[offset] = n + 1;
            return;
        }

        long[] keys = w.PruneKeys;
        for (int i = 0; i < n; i++)
        {
            keys[i] = ScoredKey.Pack(scores[scoreOffset + i], links[offset + 1 + i]);
        }

        keys[n] = ScoredKey.Pack(score, node);
        int total = n + 1;
        keys.AsSpan(0, total).Sort();
        for (int i = 0; i < total; i++)
        {
            long key = keys[total - 1 - i];
            w.PruneOrds[i] = ScoredKey.Ordinal(key);
            w.PruneScores[i] = ScoredKey.Score(key);
        }

        int kept = SelectDiverse(w.PruneOrds, w.PruneScores, total, maxConn, w.KeptOrds, w.KeptScores);
        Array.Copy(w.KeptOrds, 0, links, offset + 1, kept);
        Array.Copy(w.KeptScores, 0, scores, scoreOffset, kept);
        links[offset] = kept;
    }

    /// <summary>Appends node to target's level-0 list, which must have room (the repair pass, single-threaded).</summary>
    private void AppendLink(int target, int node, float score)
    {
        ListOf(target, 0, out int[] links, out int offset, out float[] scores, out int scoreOffset);
        int n = links[offset];
        links[offset + 1 + n] = node;
        scores[scoreOffset + n] = score;
        links[offset] = n + 1;
    }

    private int SelectDiverse(int[] ords, float[] scores, int count, int max, int[] outOrds, float[] outScores) =>
        HnswNeighbourSelection.SelectDiverse(ref _scorer, ords, scores, count, max, outOrds, outScores);
}
