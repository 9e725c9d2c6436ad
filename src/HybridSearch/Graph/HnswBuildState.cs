namespace HybridSearch.Graph;

/// <summary>
/// Mutable state of one single-threaded build: level 0 as one flat block of stride 2M+1, upper levels per node,
/// and the score of every stored link (so pruning an over-full list does not rescore the node against its
/// neighbours). All scratch is allocated once.
/// </summary>
internal sealed partial class HnswBuildState<TScorer>
    where TScorer : struct, IHnswScorer
{
#pragma warning disable IDE0044 // not readonly: calling a member on a readonly struct field would copy it each call
    private TScorer _scorer;
#pragma warning restore IDE0044
    private readonly int _count;
    private readonly int _m;
    private readonly int _maxConn0;
    private readonly int _efConstruction;
    private readonly int[] _levels;
    private readonly int[] _level0;
    private readonly float[] _level0Scores; // stride 2M, parallel to the neighbours in _level0
    private readonly int[]?[] _upper;
    private readonly float[]?[] _upperScores; // per node, stride M per level
    private readonly Worker _mainWorker;

    // Parallel builds only: striped node locks (a thread holds at most one, so no deadlock) and the lock that
    // guards the entry point / max level. Null in single-threaded builds, which then take no locks at all.
    private object[]? _nodeLocks;
    private readonly object _globalLock = new();

    private int _entryPoint = -1;
    private int _maxLevel;

    public HnswBuildState(TScorer scorer, int count, HnswBuildOptions options)
    {
        _scorer = scorer;
        _count = count;
        _m = options.M;
        _maxConn0 = 2 * options.M;
        _efConstruction = options.EfConstruction;
        _level0 = new int[count * (_maxConn0 + 1)];
        _level0Scores = new float[count * _maxConn0];
        _upper = new int[]?[count];
        _upperScores = new float[]?[count];
        _levels = new int[count];
        var random = new SplitMix64(options.Seed);
        double levelScale = 1.0 / Math.Log(_m);
        for (int i = 0; i < count; i++)
        {
            _levels[i] = Math.Min((int)(-Math.Log(random.NextOpenZero()) * levelScale), 64);
        }

        for (int i = 0; i < count; i++)
        {
            // Allocated up front so that concurrent inserts never see a node whose upper lists do not exist yet.
            if (_levels[i] > 0)
            {
                _upper[i] = new int[_levels[i] * (_m + 1)];
                _upperScores[i] = new float[_levels[i] * _m];
            }
        }

        _mainWorker = new Worker(count, _efConstruction, _maxConn0);
    }

    public void Insert(int node) => Insert(node, _mainWorker);

    /// <summary>Inserts nodes 0..count-1 on <paramref name="threads"/> threads that take nodes in ordinal order.</summary>
    public void InsertAllParallel(int threads) => InsertParallel(null, threads);

    /// <summary>Inserts <paramref name="nodes"/> (null: 0..count-1) on <paramref name="threads"/> threads that take
    /// them in the order given.</summary>
    public void InsertParallel(int[]? nodes, int threads)
    {
        int total = nodes?.Length ?? _count;
        _nodeLocks = new object[Math.Min(4096, Math.Max(1, _count))];
        for (int i = 0; i < _nodeLocks.Length; i++)
        {
            _nodeLocks[i] = new object();
        }

        // The first node on its own when the graph is empty, so every concurrent insert has an entry point.
        int next = 0;
        if (total > 0 && _entryPoint < 0)
        {
            Insert(nodes?[0] ?? 0, _mainWorker);
            next = 1;
        }

        var workers = new Thread[threads];
        Exception? failure = null;
        for (int t = 0; t < threads; t++)
        {
            var worker = t == 0 ? _mainWorker : new Worker(_count, _efConstruction, _maxConn0);
            workers[t] = new Thread(() =>
            {
                try
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next) - 1) < total)
                    {
                        Insert(nodes?[index] ?? index, worker);
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            })
            { IsBackground = true, Name = $"HNSW build {t}" };
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        _nodeLocks = null; // the repair pass and the graph wrapper run single-threaded
        if (failure is not null)
        {
            throw new InvalidOperationException("HNSW parallel build failed on a worker thread.", failure);
        }
    }

    private void Insert(int node, Worker w)
    {
        int level = _levels[node];
        int entryPoint, maxLevel;
        bool holdsGlobal = false;
        object[]? locks = _nodeLocks;
        if (locks is null)
        {
            entryPoint = _entryPoint;
            maxLevel = _maxLevel;
        }
        else
        {
            Monitor.Enter(_globalLock);
            entryPoint = _entryPoint;
            maxLevel = _maxLevel;
            // A node that will raise the top level keeps the global lock for its whole insert (as hnswlib does),
            // so two such nodes cannot race for the entry point.
            holdsGlobal = level > maxLevel;
            if (!holdsGlobal)
            {
                Monitor.Exit(_globalLock);
            }
        }

        try
        {
            if (entryPoint < 0)
            {
                _entryPoint = node;
                _maxLevel = level;
                return;
            }

            var query = new PairQueryScorer<TScorer>(_scorer, node);
            HnswGraphSearcher searcher = w.Searcher;
            searcher.Begin(_count, int.MaxValue);
            int current = entryPoint;
            searcher.TryScore(ref query, current, out float currentScore);
            searcher.DescendUpperLevels(_upper, _m, maxLevel, level, ref query, ref current, ref currentScore, locks);

            for (int l = Math.Min(level, maxLevel); l >= 0; l--)
            {
                searcher.SearchLevel(_level0, _upper, _m, l, ref query, current, currentScore, _efConstruction, null, locks);
                int found = searcher.DrainResultsBestFirst(w.CandidateOrds, w.CandidateScores);
                current = w.CandidateOrds[0];
                currentScore = w.CandidateScores[0];

                // hnswlib links a new node to at most M neighbours on every level; 2M is only the cap for pruning.
                int selected = SelectDiverse(w.CandidateOrds, w.CandidateScores, found, _m, w.SelectedOrds, w.SelectedScores);
                object? nodeLock = locks?[node % locks.Length];
                if (nodeLock is not null)
                {
                    Monitor.Enter(nodeLock);
                }

                try
                {
                    ListOf(node, l, out int[] links, out int offset, out float[] scores, out int scoreOffset);
                    Array.Copy(w.SelectedOrds, 0, links, offset + 1, selected);
                    Array.Copy(w.SelectedScores, 0, scores, scoreOffset, selected);
                    links[offset] = selected;
                }
                finally
                {
                    if (nodeLock is not null)
                    {
                        Monitor.Exit(nodeLock);
                    }
                }

                for (int i = 0; i < selected; i++)
                {
                    AddLink(w.SelectedOrds[i], node, w.SelectedScores[i], l, w);
                }
            }

            if (level > maxLevel)
            {
                _maxLevel = level;
                _entryPoint = node;
            }
        }
        finally
        {
            if (holdsGlobal)
            {
                Monitor.Exit(_globalLock);
            }
        }
    }

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

    public HnswGraph ToGraph() => HnswGraph.FromBuilder(_count, _m, _maxLevel, _count == 0 ? -1 : _entryPoint, _level0, _upper);

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
        HnswGraphSearcher searcher = _mainWorker.Searcher;
        int[] candidateOrds = _mainWorker.CandidateOrds;
        float[] candidateScores = _mainWorker.CandidateScores;
        searcher.Begin(_count, int.MaxValue);
        searcher.TryScore(ref query, _entryPoint, out float entryScore);
        searcher.SearchLevel(_level0, _upper, _m, 0, ref query, _entryPoint, entryScore, Math.Max(_efConstruction, _maxConn0), null, null);
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

    private void AppendLink(int target, int node, float score)
    {
        ListOf(target, 0, out int[] links, out int offset, out float[] scores, out int scoreOffset);
        int n = links[offset];
        links[offset + 1 + n] = node;
        scores[scoreOffset + n] = score;
        links[offset] = n + 1;
    }

    /// <summary>Adds the link target -> node on a level, pruning the target's list with the heuristic when full.</summary>
    private void AddLink(int target, int node, float score, int level, Worker w)
    {
        object[]? locks = _nodeLocks;
        if (locks is null)
        {
            AddLinkUnlocked(target, node, score, level, w);
            return;
        }

        lock (locks[target % locks.Length])
        {
            AddLinkUnlocked(target, node, score, level, w);
        }
    }

    private void AddLinkUnlocked(int target, int node, float score, int level, Worker w)
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

    /// <summary>
    /// The HNSW neighbour-selection heuristic (hnswlib getNeighborsByHeuristic2): walk candidates best first and keep
    /// one only if it is closer to the base node than to every neighbour kept so far, up to <paramref name="max"/>.
    /// Fewer than <paramref name="max"/> candidates are all kept.
    /// </summary>
    private int SelectDiverse(int[] ords, float[] scores, int count, int max, int[] outOrds, float[] outScores)
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
                _scorer.Prefetch(ords[i + 1]);
            }

            int candidate = ords[i];
            float toBase = scores[i];
            bool diverse = true;
            for (int j = 0; j < kept; j++)
            {
                if (_scorer.Score(candidate, outOrds[j]) > toBase)
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

    private void ListOf(int node, int level, out int[] links, out int offset, out float[] scores, out int scoreOffset)
    {
        if (level == 0)
        {
            links = _level0;
            offset = node * (_maxConn0 + 1);
            scores = _level0Scores;
            scoreOffset = node * _maxConn0;
        }
        else
        {
            links = _upper[node]!;
            offset = (level - 1) * (_m + 1);
            scores = _upperScores[node]!;
            scoreOffset = (level - 1) * _m;
        }
    }

    /// <summary>Per-thread scratch of a build: a searcher and the candidate / selection / pruning buffers.</summary>
    private sealed class Worker
    {
        public Worker(int count, int efConstruction, int maxConn0)
        {
            Searcher = new HnswGraphSearcher(count);
            int candidateCapacity = Math.Max(efConstruction, maxConn0 + 1);
            CandidateOrds = new int[candidateCapacity];
            CandidateScores = new float[candidateCapacity];
            SelectedOrds = new int[maxConn0 + 1];
            SelectedScores = new float[maxConn0 + 1];
            PruneKeys = new long[maxConn0 + 1];
            PruneOrds = new int[maxConn0 + 1];
            PruneScores = new float[maxConn0 + 1];
            KeptOrds = new int[maxConn0 + 1];
            KeptScores = new float[maxConn0 + 1];
        }

        public HnswGraphSearcher Searcher { get; }

        public int[] CandidateOrds { get; }

        public float[] CandidateScores { get; }

        public int[] SelectedOrds { get; }

        public float[] SelectedScores { get; }

        public long[] PruneKeys { get; }

        public int[] PruneOrds { get; }

        public float[] PruneScores { get; }

        public int[] KeptOrds { get; } // prune output; separate from Selected*, which Insert is still iterating

        public float[] KeptScores { get; }
    }
}
