namespace HybridSearch.Graph;

/// <summary>The repair pass after insertion: links every level-0 node that pruning left unreachable.</summary>
internal sealed partial class HnswBuildState<TScorer>
{
    /// <summary>
    /// Heuristic pruning (hnswlib and Lucene alike) can leave level-0 nodes without any incoming link, most of all
    /// among duplicates. Finds every node not reachable from the entry point and links it from the nearest reachable
    /// node that has room; if none has, it takes over the weakest link of a near node whose target keeps another
    /// incoming link. Repeats (a takeover can still cut something off) until everything is reachable.
    /// </summary>
    public void ConnectLevel0Components()
    {
        if (_count <= 1)
        {
            return;
        }

        var reached = new bool[_count];
        var queue = new int[_count];
        var inDegree = new int[_count];
        for (int round = 0; round < 64; round++)
        {
            Array.Clear(reached);
            if (MarkReachable(_entryPoint, reached, queue) == _count)
            {
                return;
            }

            CountInLinksFromReached(inDegree, reached);
            for (int node = 0; node < _count; node++)
            {
                if (!reached[node])
                {
                    LinkFromReachable(node, reached, inDegree);
                    MarkReachable(node, reached, queue);
                }
            }
        }

        // Not reached in practice (the tests check reachability on adversarial duplicate sets); a node left
        // unreachable only costs recall for itself, so the build still succeeds.
    }

    private int MarkReachable(int start, bool[] reached, int[] queue)
    {
        int stride = _maxConn0 + 1;
        int head = 0, tail = 0;
        if (!reached[start])
        {
            reached[start] = true;
            queue[tail++] = start;
        }

        while (head < tail)
        {
            int node = queue[head++];
            foreach (int n in new ReadOnlySpan<int>(_level0, node * stride + 1, _level0[node * stride]))
            {
                if (!reached[n])
                {
                    reached[n] = true;
                    queue[tail++] = n;
                }
            }
        }

        return tail;
    }

    /// <summary>In-links from reached nodes only: links from orphans do not keep anything reachable.</summary>
    private void CountInLinksFromReached(int[] inDegree, bool[] reached)
    {
        Array.Clear(inDegree);
        int stride = _maxConn0 + 1;
        for (int node = 0; node < _count; node++)
        {
            if (!reached[node])
            {
                continue;
            }

            foreach (int n in new ReadOnlySpan<int>(_level0, node * stride + 1, _level0[node * stride]))
            {
                inDegree[n]++;
            }
        }
    }

    private void LinkFromReachable(int node, bool[] reached, int[] inDegree)
    {
        // Beam search on level 0 only, from the entry point: the upper levels could lead into the orphaned part,
        // while a level-0 walk from the entry point only meets reachable nodes.
        var query = new PairQueryScorer<TScorer>(_scorer, node);
        var context = new HnswSearchContext<PairQueryScorer<TScorer>>(ref query, _level0, _upper, _m, null, null);
        HnswGraphSearcher searcher = _mainWorker.Searcher;
        int[] candidateOrds = _mainWorker.CandidateOrds;
        float[] candidateScores = _mainWorker.CandidateScores;
        searcher.Begin(_count, int.MaxValue);
        searcher.TryScore(ref query, _entryPoint, out float entryScore);
        searcher.SearchLevel(ref context, 0, _entryPoint, entryScore, Math.Max(_efConstruction, _maxConn0));
        int found = searcher.DrainResultsBestFirst(candidateOrds, candidateScores);

        // Nearest reachable node with room, else a near node's weakest link whose target keeps another link.
        // Massive duplicates can exhaust the near nodes, so then any reachable node will do (scanned by ordinal).
        int stride = _maxConn0 + 1;
        for (int i = 0; i < found; i++)
        {
            int target = candidateOrds[i];
            if (reached[target] && _level0[target * stride] < _maxConn0)
            {
                AppendLink(target, node, candidateScores[i]);
                inDegree[node]++;
                return;
            }
        }

        for (int i = 0; i < found; i++)
        {
            if (reached[candidateOrds[i]] && TryTakeOverLink(candidateOrds[i], node, candidateScores[i], inDegree))
            {
                return;
            }
        }

        for (int target = 0; target < _count; target++)
        {
            if (reached[target] && _level0[target * stride] < _maxConn0)
            {
                AppendLink(target, node, _scorer.Score(target, node));
                inDegree[node]++;
                return;
            }
        }

        for (int target = 0; target < _count; target++)
        {
            if (reached[target] && TryTakeOverLink(target, node, _scorer.Score(target, node), inDegree))
            {
                return;
            }
        }

        // Nothing can give up a link safely: replace the nearest node's first link; a later round repairs the victim.
        int nearest = candidateOrds[0];
        inDegree[_level0[nearest * stride + 1]]--;
        _level0[nearest * stride + 1] = node;
        _level0Scores[nearest * _maxConn0] = candidateScores[0];
        inDegree[node]++;
    }

    /// <summary>Replaces target's weakest link whose end keeps another incoming link with a link to node.</summary>
    private bool TryTakeOverLink(int target, int node, float score, int[] inDegree)
    {
        int stride = _maxConn0 + 1;
        int offset = target * stride;
        int scoreBase = target * _maxConn0;
        int weakest = -1;
        for (int j = 0; j < _level0[offset]; j++)
        {
            int victim = _level0[offset + 1 + j];
            if (inDegree[victim] > 1 && (weakest < 0 || _level0Scores[scoreBase + j] < _level0Scores[scoreBase + weakest]))
            {
                weakest = j;
            }
        }

        if (weakest < 0)
        {
            return false;
        }

        inDegree[_level0[offset + 1 + weakest]]--;
        _level0[offset + 1 + weakest] = node;
        _level0Scores[scoreBase + weakest] = score;
        inDegree[node]++;
        return true;
    }
}
