using System.Runtime.CompilerServices;

namespace HybridSearch.Graph;

/// <summary>
/// Searches <see cref="HnswGraph"/>s: greedy descent through the upper levels, then a beam search of width ef on
/// level 0. Holds reusable scratch (a generation-stamped visited array and two heaps), so a search allocates only
/// its result arrays. NOT thread-safe: use one searcher per thread (the graph itself may be shared).
/// </summary>
public sealed class HnswGraphSearcher
{
    private readonly LongMinHeap _candidates = new(256); // complemented keys: best candidate on top
    private readonly LongMinHeap _results = new(256);    // keys: worst kept result on top
    private int[] _visited;
    private int[] _batch = new int[64]; // unvisited neighbours of the node being expanded, prefetched before scoring
    private int _generation;
    private int _scored;
    private int _visitLimit;
    private bool _incomplete;

    // The query's background (SimilarityBackground), summed over the first scores of a query's descent.
    private bool _sampling;
    private int _backgroundCount;
    private double _backgroundSum;
    private double _backgroundSumOfSquares;
    private readonly LongMinHeap _seeds = new(RescueSeeds);
    private long[] _entries = new long[64];

    /// <summary>Level-1 nodes that seed a rescued walk (<see cref="Rescue{TScorer}"/>): on well-separated clusters of
    /// a million 512-d vectors one level-1 node in 16, the best 8 of them hold one of the query's cluster 99 % of the
    /// time (the best alone 94 %); 16 leave room for noisier data at a cost of 16 more expansions.</summary>
    internal const int RescueSeeds = 16;

    // How many nodes ahead a level-1 scan asks the memory system for (a few hundred nanoseconds of scoring cover a miss).
    private const int ScanPrefetchDistance = 8;

    /// <summary>Whether lost walks are rescued (diagnostics: the knn benchmark's --no-rescue turns it off to compare).</summary>
    internal static bool RescueEnabled { get; set; } = true;

    private static long _rescues;

    /// <summary>Walks rescued since the process started (diagnostics: the knn benchmark reports them per run).</summary>
    internal static long Rescues => Interlocked.Read(ref _rescues);

    private static long _backgroundProbes;

    /// <summary>Walks whose background was probed on level 1 since the process started (diagnostics: the knn
    /// benchmark reports them per run; each costs <see cref="BackgroundProbe"/> scores).</summary>
    internal static long BackgroundProbes => Interlocked.Read(ref _backgroundProbes);

    // Multi-graph searches only (null otherwise): the bound shared with the other graphs' searches, this graph's best
    // similarities (how far a graph keeps searching on its own while it is not globally competitive), and the
    // similarities collected since the last exchange with the shared bound.
    private SharedScoreBound? _shared;
    private readonly FloatBestQueue _localBest = new();
    private float[] _pending = new float[64];
    private int _pendingCount;
    private bool _sharedActive;
    private float _cachedGlobal;
    private int _nextSync;

    /// <summary>Share of the beam a graph may cut away once the shared bound says its results are not globally
    /// competitive: it keeps searching like a beam of (1 - greediness) * ef of its own best. Lucene uses 0.9 with
    /// k = ef of 100 or more; with k = 10 and ef 20-160, a beam that narrow loses the graph's own nearest (50k x 512,
    /// 10 segments: recall@10 0.65 at ef 40), while 0.5 reached recall 0.966 at 1.7x the CPU throughput of searching
    /// the segments independently at equal recall (knn benchmark, --greediness 0 / 0.3 / 0.5 / 0.7 / 0.9).</summary>
    internal const float DefaultGreediness = 0.5f;

    /// <summary>The greediness in force (diagnostics: the knn benchmark's --greediness sets it; 0 turns sharing off).</summary>
    internal static float Greediness { get; set; } = DefaultGreediness;

    // Visited vectors between two exchanges with the shared bound (only matters when graphs are searched in parallel).
    private const int SyncInterval = 256;

    /// <summary>Creates a searcher with scratch for graphs of up to <paramref name="capacity"/> nodes (it grows as needed).</summary>
    public HnswGraphSearcher(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _visited = new int[capacity];
    }

    /// <summary>
    /// Finds the <paramref name="k"/> accepted nodes most similar to the query of <paramref name="scorer"/>.
    /// </summary>
    /// <param name="graph">The graph to search.</param>
    /// <param name="scorer">Scores ordinals of the graph against the query.</param>
    /// <param name="k">Number of hits wanted (at least 1).</param>
    /// <param name="ef">Beam width on level 0; the search uses max(ef, k).</param>
    /// <param name="acceptBits">Null to accept every ordinal; otherwise bit (i &amp; 63) of acceptBits[i &gt;&gt; 6] says ordinal i
    /// may be returned. Rejected nodes are still walked through, so the filter applies during the search.</param>
    /// <param name="visitLimit">The search stops, with <see cref="HnswSearchResult.Incomplete"/> set, when it would need to score
    /// more than this many vectors.</param>
    /// <returns>The hits, best first (ties broken by lower ordinal).</returns>
    public HnswSearchResult Search<TScorer>(HnswGraph graph, TScorer scorer, int k, int ef, ulong[]? acceptBits, int visitLimit = int.MaxValue)
        where TScorer : struct, IHnswQueryScorer
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ef, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(visitLimit);
        if (acceptBits is not null && (long)acceptBits.Length * 64 < graph.Count)
        {
            throw new ArgumentException($"acceptBits has {acceptBits.Length} words, too few for {graph.Count} ordinals.", nameof(acceptBits));
        }

        _results.Clear();
        if (graph.Count == 0)
        {
            return new HnswSearchResult([], [], 0, 0, false);
        }

        Begin(graph.Count, visitLimit);
        var context = new HnswSearchContext<TScorer>(ref scorer, graph.Level0, graph.UpperByNode, graph.M, acceptBits, null);
        int entry = graph.EntryPoint;
        StartSampling();
        if (TryScore(ref scorer, entry, out float entryScore))
        {
            DescendUpperLevels(ref context, graph.MaxLevel, 0, ref entry, ref entryScore);
            var background = StopSampling();
            if (!_incomplete)
            {
                SearchLevel(ref context, 0, entry, entryScore, Math.Max(ef, k));
                var walk = TakeTopK(k);
                return !walk.Incomplete && LooksLost(graph, scorer, walk.Count > 0 ? walk.Scores[0] : float.NegativeInfinity, background, graph.Count)
                    ? Rescue(graph, scorer, walk with { Visited = _scored }, k, ef, acceptBits, visitLimit)
                    : walk;
            }
        }

        _sampling = false;
        return TakeTopK(k);
    }

    /// <summary>
    /// First half of a search over several graphs: the greedy descent through the upper levels, so the caller can
    /// search the graphs whose entries score best first. <paramref name="visitLimit"/> as in <see cref="Search{TScorer}"/>.
    /// </summary>
    internal HnswEntry FindEntry<TScorer>(HnswGraph graph, TScorer scorer, int visitLimit)
        where TScorer : struct, IHnswQueryScorer
    {
        Begin(graph.Count, visitLimit);
        int entry = graph.EntryPoint;
        StartSampling();
        if (!TryScore(ref scorer, entry, out float entryScore))
        {
            return new HnswEntry(entry, 0, _scored, true, StopSampling());
        }

        var context = new HnswSearchContext<TScorer>(ref scorer, graph.Level0, graph.UpperByNode, graph.M, null, null);
        DescendUpperLevels(ref context, graph.MaxLevel, 0, ref entry, ref entryScore);
        return new HnswEntry(entry, entryScore, _scored, _incomplete, StopSampling());
    }

    /// <summary>
    /// The second chance of a walk that looks lost (<see cref="LooksLost{TScorer}"/>): the level-1 nodes are scored —
    /// with a <paramref name="sketch"/>, only the <see cref="ShortlistSize"/> whose sketch bits are closest to
    /// <paramref name="query"/>'s; without one, all of them — and the best <see cref="RescueSeeds"/> plus the walk's own
    /// hits seed a new level-0 beam of width ef. Level 1 holds about one node in M, spread over the whole graph, so
    /// where the greedy descent had no gradient to follow, looking at all of it finds the query's region.
    /// <paramref name="visitLimit"/> counts the walk's scores too; past it the result is
    /// <see cref="HnswSearchResult.Incomplete"/> (the caller's exact search is then the cheaper answer).
    /// </summary>
    internal HnswSearchResult Rescue<TScorer>(HnswGraph graph, TScorer scorer, HnswSearchResult walk, int k, int ef, ulong[]? acceptBits, int visitLimit, LevelOneSketch? sketch = null, ReadOnlySpan<float> query = default)
        where TScorer : struct, IHnswQueryScorer
    {
        if (graph.MaxLevel < 1)
        {
            return walk;
        }

        Interlocked.Increment(ref _rescues);
        _results.Clear();
        Begin(graph.Count, visitLimit);
        _scored = walk.Visited;
        LongMinHeap seeds = _seeds;
        seeds.Clear();
        ReadOnlySpan<int> nodes = graph.NodesOnLevel(1);
        if (sketch is not null && sketch.Rows == nodes.Length && nodes.Length > ShortlistSize(nodes.Length))
        {
            nodes = Shortlist(sketch, nodes, query);
        }

        for (int i = 0; i < Math.Min(ScanPrefetchDistance, nodes.Length); i++)
        {
            scorer.Prefetch(nodes[i]);
        }

        for (int i = 0; i < nodes.Length; i++)
        {
            // The level-1 nodes are scattered over the vector file: ask for a later one while this one is scored.
            if (i + ScanPrefetchDistance < nodes.Length)
            {
                scorer.Prefetch(nodes[i + ScanPrefetchDistance]);
            }

            int node = nodes[i];
            if (!TryScore(ref scorer, node, out float s))
            {
                return new HnswSearchResult([], [], 0, _scored, true);
            }

            long key = ScoredKey.Pack(s, node);
            if (seeds.Count < RescueSeeds)
            {
                seeds.Push(key);
            }
            else if (key > seeds.Top)
            {
                seeds.ReplaceTop(key);
            }
        }

        int entries = seeds.Count + walk.Count;
        if (_entries.Length < entries)
        {
            _entries = new long[entries];
        }

        int n = 0;
        while (seeds.Count > 0)
        {
            _entries[n++] = seeds.Pop();
        }

        for (int i = 0; i < walk.Count; i++)
        {
            _entries[n++] = ScoredKey.Pack(walk.Scores[i], walk.Ordinals[i]);
        }

        var context = new HnswSearchContext<TScorer>(ref scorer, graph.Level0, graph.UpperByNode, graph.M, acceptBits, null);
        SearchLevel(ref context, 0, _entries.AsSpan(0, n), Math.Max(ef, k));
        return TakeTopK(k);
    }

    /// <summary>Level-1 nodes scored for the second, precise look at the background (<see cref="LooksLost{TScorer}"/>).</summary>
    internal const int BackgroundProbe = 256;

    /// <summary>
    /// True when a walk's best hit is no better than the best of <paramref name="population"/> unrelated vectors
    /// would be by chance (<see cref="SimilarityBackground.Explains"/>): it found strangers, not a neighbourhood. Judged
    /// first on the descent's own samples (<paramref name="descent"/>, free; most walks stop here), and only if that
    /// says "perhaps" on <see cref="BackgroundProbe"/> level-1 nodes spread over the graph: 32 samples misjudge the
    /// spread by up to a third, and a false alarm costs a rescue (Count / M scores).
    /// </summary>
    internal bool LooksLost<TScorer>(HnswGraph graph, TScorer scorer, float best, SimilarityBackground descent, int population)
        where TScorer : struct, IHnswQueryScorer
    {
        if (!RescueEnabled || graph.MaxLevel < 1 || !descent.Explains(best, population))
        {
            return false;
        }

        Interlocked.Increment(ref _backgroundProbes);
        ReadOnlySpan<int> nodes = graph.NodesOnLevel(1);
        int step = Math.Max(1, nodes.Length / BackgroundProbe);
        int n = 0;
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < nodes.Length && n < BackgroundProbe; i += step)
        {
            double s = scorer.Score(nodes[i]);
            sum += s;
            sumOfSquares += s * s;
            n++;
        }

        _scored += n;
        return Background(n, sum, sumOfSquares).Explains(best, population);
    }

    private static SimilarityBackground Background(int n, double sum, double sumOfSquares)
    {
        if (n < 2)
        {
            return new SimilarityBackground(0, 0, n);
        }

        double mean = sum / n;
        double variance = Math.Max(0, (sumOfSquares - (n * mean * mean)) / (n - 1));
        return new SimilarityBackground(mean, Math.Sqrt(variance), n);
    }

    /// <summary>Share of level 1 a sketch-led rescue scores with the real scorer (the sketch's closest): one node in
    /// 128, the 488 of a million's 62,500. The sketch's ranking is noisy in proportion to how many level-1 nodes compete
    /// with the query's own, so the shortlist grows with level 1: on the 1M set 512 of them keep a member of the query's
    /// cluster among the best 8 for 97.7 % of the queries, 256 for 96 %, 64 for 89 % (recall@10 at ef 80 0.601 / 0.598 /
    /// 0.573), while on 50k (3,125 level-1 nodes) 64 find what 512 find (0.846 against 0.849 at ef 10) at a third of a
    /// rescue's cost.</summary>
    internal const int ShortlistShare = 128;

    /// <summary>Level-1 nodes a sketch-led rescue scores among <paramref name="levelOneCount"/>: one in
    /// <see cref="ShortlistShare"/>, and at least four for each seed it keeps.</summary>
    internal static int ShortlistSize(int levelOneCount) => Math.Max(4 * RescueSeeds, levelOneCount / ShortlistShare);

    private int[] _shortlist = new int[4 * RescueSeeds];
    private ulong[] _queryBits = new ulong[8];

    /// <summary>The <see cref="ShortlistSize"/> level-1 nodes whose sketch bits are closest to the query's.</summary>
    private ReadOnlySpan<int> Shortlist(LevelOneSketch sketch, ReadOnlySpan<int> nodes, ReadOnlySpan<float> query)
    {
        if (_queryBits.Length < sketch.Words)
        {
            _queryBits = new ulong[sketch.Words];
        }

        Span<ulong> queryBits = _queryBits.AsSpan(0, sketch.Words);
        sketch.QueryBits(query, queryBits);
        int size = ShortlistSize(nodes.Length);
        if (_shortlist.Length < size)
        {
            _shortlist = new int[size];
        }

        LongMinHeap closest = _candidates; // free between searches: worst (farthest) kept on top
        closest.Clear();
        for (int row = 0; row < nodes.Length; row++)
        {
            long key = ScoredKey.Pack(-sketch.Distance(row, queryBits), row);
            if (closest.Count < size)
            {
                closest.Push(key);
            }
            else if (key > closest.Top)
            {
                closest.ReplaceTop(key);
            }
        }

        int n = 0;
        while (closest.Count > 0)
        {
            _shortlist[n++] = nodes[ScoredKey.Ordinal(closest.Pop())];
        }

        Array.Sort(_shortlist, 0, n); // ordinal order: friendlier to the memory system, and deterministic
        return _shortlist.AsSpan(0, n);
    }

    private void StartSampling()
    {
        _sampling = true;
        _backgroundCount = 0;
        _backgroundSum = 0;
        _backgroundSumOfSquares = 0;
    }

    private SimilarityBackground StopSampling()
    {
        _sampling = false;
        return Background(_backgroundCount, _backgroundSum, _backgroundSumOfSquares);
    }

    /// <summary>
    /// Second half of a search over several graphs: the level-0 beam search from <paramref name="entry"/>. With
    /// <paramref name="shared"/>, once this graph holds ef results, a candidate is expanded only if it beats
    /// max(this graph's ef-th best, min(this graph's ((1 - <see cref="Greediness"/>) * ef)-th best, the shared ef-th
    /// best)); every collected similarity is handed to <paramref name="shared"/>. The hits returned are the exact
    /// best k of the nodes scored.
    /// </summary>
    internal HnswSearchResult SearchFrom<TScorer>(HnswGraph graph, TScorer scorer, HnswEntry entry, int k, int ef, ulong[]? acceptBits, int visitLimit, SharedScoreBound? shared)
        where TScorer : struct, IHnswQueryScorer
    {
        _results.Clear();
        if (graph.Count == 0)
        {
            return new HnswSearchResult([], [], 0, 0, false);
        }

        Begin(graph.Count, visitLimit);
        _scored = entry.Scored;
        _incomplete = entry.Incomplete;
        if (_incomplete)
        {
            return new HnswSearchResult([], [], 0, _scored, true);
        }

        ef = Math.Max(ef, k);
        _shared = shared;
        if (shared is not null)
        {
            _localBest.Reset(Math.Max(1, (int)MathF.Round((1 - Greediness) * ef)));
            if (_pending.Length < ef)
            {
                _pending = new float[ef];
            }

            _pendingCount = 0;
            _sharedActive = false;
            _cachedGlobal = float.NegativeInfinity;
        }

        try
        {
            var context = new HnswSearchContext<TScorer>(ref scorer, graph.Level0, graph.UpperByNode, graph.M, acceptBits, null);
            SearchLevel(ref context, 0, entry.Node, entry.Score, ef);
            if (shared is not null && _pendingCount > 0)
            {
                shared.Offer(_pending.AsSpan(0, _pendingCount));
                _pendingCount = 0;
            }
        }
        finally
        {
            _shared = null;
        }

        return TakeTopK(k);
    }

    private HnswSearchResult TakeTopK(int k)
    {
        while (_results.Count > k)
        {
            _results.Pop();
        }

        int count = _results.Count;
        var ordinals = new int[count];
        var scores = new float[count];
        for (int i = count - 1; i >= 0; i--)
        {
            long key = _results.Pop();
            ordinals[i] = ScoredKey.Ordinal(key);
            scores[i] = ScoredKey.Score(key);
        }

        return new HnswSearchResult(ordinals, scores, count, _scored, _incomplete);
    }

    /// <summary>Records a similarity that entered this graph's results and returns the bound candidates must beat.</summary>
    private float CollectShared(float similarity, int resultCount, int ef, float localMin)
    {
        _localBest.Offer(similarity);
        _pending[_pendingCount++] = similarity;
        if (!_sharedActive)
        {
            if (resultCount < ef)
            {
                return localMin;
            }

            _sharedActive = true;
            SyncShared();
        }
        else if (_scored >= _nextSync || _pendingCount == _pending.Length)
        {
            SyncShared();
        }

        return Math.Max(localMin, Math.Min(_localBest.Minimum, _cachedGlobal));
    }

    private void SyncShared()
    {
        _cachedGlobal = _shared!.Offer(_pending.AsSpan(0, _pendingCount));
        _pendingCount = 0;
        _nextSync = _scored + SyncInterval;
    }

    internal bool Incomplete => _incomplete;

    internal int Scored => _scored;

    /// <summary>Resets the per-search counters and makes sure the visited array covers <paramref name="count"/> nodes.</summary>
    internal void Begin(int count, int visitLimit)
    {
        if (_visited.Length < count)
        {
            _visited = new int[Math.Max(count, _visited.Length * 2)];
            _generation = 0;
        }

        _scored = 0;
        _visitLimit = visitLimit;
        _incomplete = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryScore<TScorer>(ref TScorer scorer, int node, out float score)
        where TScorer : struct, IHnswQueryScorer
    {
        if (_scored >= _visitLimit)
        {
            _incomplete = true;
            score = 0;
            return false;
        }

        _scored++;
        score = scorer.Score(node);
        if (_sampling && _backgroundCount < SimilarityBackground.MaxSamples)
        {
            _backgroundCount++;
            _backgroundSum += score;
            _backgroundSumOfSquares += (double)score * score;
        }

        return true;
    }

    /// <summary>
    /// Greedy walk (beam width 1) from <paramref name="node"/> on levels maxLevel down to targetLevel+1.
    /// With the context's locks (parallel builds) each neighbour list is copied under its node's lock.
    /// </summary>
    internal void DescendUpperLevels<TScorer>(scoped ref HnswSearchContext<TScorer> context, int maxLevel, int targetLevel, ref int node, ref float score)
        where TScorer : struct, IHnswQueryScorer
    {
        ref TScorer scorer = ref context.Scorer;
        int[]?[] upperByNode = context.UpperByNode;
        HnswNodeLocks? nodeLocks = context.Locks;
        int stride = context.M + 1;
        int best = node;
        float bestScore = score;
        for (int level = maxLevel; level > targetLevel; level--)
        {
            bool moved = true;
            while (moved)
            {
                moved = false;
                int[] links = upperByNode[best]!;
                int start = (level - 1) * stride;
                ReadOnlySpan<int> neighbours;
                if (nodeLocks is null)
                {
                    neighbours = new ReadOnlySpan<int>(links, start + 1, links[start]);
                }
                else
                {
                    lock (nodeLocks.For(best))
                    {
                        int n = links[start];
                        EnsureBatch(n);
                        Array.Copy(links, start + 1, _batch, 0, n);
                        neighbours = new ReadOnlySpan<int>(_batch, 0, n);
                    }
                }

                foreach (int n in neighbours)
                {
                    if (!TryScore(ref scorer, n, out float s))
                    {
                        node = best;
                        score = bestScore;
                        return;
                    }

                    // Strict improvement in (score, then lower ordinal) cannot cycle and is deterministic.
                    if (s > bestScore || (s == bestScore && n < best))
                    {
                        best = n;
                        bestScore = s;
                        moved = true;
                    }
                }
            }
        }

        node = best;
        score = bestScore;
    }

    /// <summary>
    /// Beam search of width <paramref name="ef"/> on one level from one entry node. The kept results (at most ef,
    /// accepted ones only) are left in the results heap, worst on top. With the context's locks (parallel builds)
    /// each neighbour list is read under its node's lock.
    /// </summary>
    internal void SearchLevel<TScorer>(scoped ref HnswSearchContext<TScorer> context, int level, int entry, float entryScore, int ef)
        where TScorer : struct, IHnswQueryScorer
    {
        Span<long> entries = [ScoredKey.Pack(entryScore, entry)];
        SearchLevel(ref context, level, entries, ef);
    }

    /// <summary>
    /// Beam search of width <paramref name="ef"/> on one level from several entry nodes (packed score keys, each
    /// already scored; duplicates are skipped). Otherwise as the single-entry overload.
    /// </summary>
    internal void SearchLevel<TScorer>(scoped ref HnswSearchContext<TScorer> context, int level, scoped ReadOnlySpan<long> entries, int ef)
        where TScorer : struct, IHnswQueryScorer
    {
        // The loop reads locals, not the context: same code as separate parameters.
        ref TScorer scorer = ref context.Scorer;
        ReadOnlySpan<int> level0 = context.Level0;
        int[]?[] upperByNode = context.UpperByNode;
        int m = context.M;
        ulong[]? acceptBits = context.AcceptBits;
        HnswNodeLocks? nodeLocks = context.Locks;
        int generation = NextGeneration();
        int[] visited = _visited;
        LongMinHeap candidates = _candidates;
        LongMinHeap results = _results;
        candidates.Clear();
        results.Clear();

        SharedScoreBound? shared = level == 0 ? _shared : null;
        float minAccepted = float.NegativeInfinity; // this graph's ef-th best once it holds ef results
        float bound = float.NegativeInfinity;       // what a candidate must reach: minAccepted, or more with a shared bound
        foreach (long entryKey in entries)
        {
            int entry = ScoredKey.Ordinal(entryKey);
            if (visited[entry] == generation)
            {
                continue;
            }

            visited[entry] = generation;
            candidates.Push(~entryKey);
            if (acceptBits is null || ((acceptBits[entry >> 6] >> entry) & 1) != 0)
            {
                if (results.Count < ef)
                {
                    results.Push(entryKey);
                    if (results.Count == ef)
                    {
                        minAccepted = ScoredKey.Score(results.Top);
                    }
                }
                else if (entryKey > results.Top)
                {
                    results.ReplaceTop(entryKey);
                    minAccepted = ScoredKey.Score(results.Top);
                }
                else
                {
                    continue;
                }

                bound = shared is null ? minAccepted : CollectShared(ScoredKey.Score(entryKey), results.Count, ef, minAccepted);
            }
        }

        int stride0 = 2 * m + 1;
        int strideUp = m + 1;
        while (candidates.Count > 0)
        {
            long candidateKey = ~candidates.Pop();
            if (ScoredKey.Score(candidateKey) < bound)
            {
                break; // the best unexplored candidate is worse than every kept result: the beam has converged
            }

            int candidate = ScoredKey.Ordinal(candidateKey);
            ReadOnlySpan<int> block;
            int offset;
            if (level == 0)
            {
                block = level0;
                offset = candidate * stride0;
            }
            else
            {
                block = upperByNode[candidate]!;
                offset = (level - 1) * strideUp;
            }

            // Two passes (as faiss does): first mark the unvisited neighbours and ask the memory system for their
            // vectors, then score them while those loads are in flight.
            int pending;
            if (nodeLocks is null)
            {
                pending = CollectUnvisited(ref scorer, block, offset, visited, generation);
            }
            else
            {
                lock (nodeLocks.For(candidate))
                {
                    pending = CollectUnvisited(ref scorer, block, offset, visited, generation);
                }
            }

            Span<int> batch = _batch;
            foreach (int n in batch[..pending])
            {
                if (_scored >= _visitLimit)
                {
                    _incomplete = true;
                    return;
                }

                _scored++;
                float s = scorer.Score(n);
                if (s < bound)
                {
                    continue;
                }

                long key = ScoredKey.Pack(s, n);
                candidates.Push(~key);
                if (acceptBits is null || ((acceptBits[n >> 6] >> n) & 1) != 0)
                {
                    if (results.Count < ef)
                    {
                        results.Push(key);
                        if (results.Count == ef)
                        {
                            minAccepted = ScoredKey.Score(results.Top);
                        }
                    }
                    else if (key > results.Top)
                    {
                        results.ReplaceTop(key);
                        minAccepted = ScoredKey.Score(results.Top);
                    }
                    else
                    {
                        continue;
                    }

                    bound = shared is null ? minAccepted : CollectShared(s, results.Count, ef, minAccepted);
                }
            }
        }
    }

    /// <summary>Copies the unvisited neighbours of one list into the batch, marks them visited and prefetches them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CollectUnvisited<TScorer>(ref TScorer scorer, ReadOnlySpan<int> block, int offset, int[] visited, int generation)
        where TScorer : struct, IHnswQueryScorer
    {
        ReadOnlySpan<int> neighbours = block.Slice(offset + 1, block[offset]);
        EnsureBatch(neighbours.Length);
        Span<int> batch = _batch;
        int pending = 0;
        foreach (int n in neighbours)
        {
            if (visited[n] != generation)
            {
                visited[n] = generation;
                batch[pending++] = n;
                scorer.Prefetch(n);
            }
        }

        return pending;
    }

    private void EnsureBatch(int length)
    {
        if (_batch.Length < length)
        {
            _batch = new int[length];
        }
    }

    /// <summary>Pops the kept results into the arrays best first and returns how many there were.</summary>
    internal int DrainResultsBestFirst(int[] ordinals, float[] scores)
    {
        int count = _results.Count;
        for (int i = count - 1; i >= 0; i--)
        {
            long key = _results.Pop();
            ordinals[i] = ScoredKey.Ordinal(key);
            scores[i] = ScoredKey.Score(key);
        }

        return count;
    }

    internal int ResultCount => _results.Count;

    private int NextGeneration()
    {
        if (_generation == int.MaxValue)
        {
            Array.Clear(_visited);
            _generation = 0;
        }

        return ++_generation;
    }
}
