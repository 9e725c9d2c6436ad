namespace HybridSearch.Graph;

/// <summary>Parallel inserts: worker threads take nodes in order, neighbour lists are guarded by striped node locks
/// (hnswlib style) and the entry point by one global lock.</summary>
internal sealed partial class HnswBuildState<TScorer>
{
    // Null in single-threaded builds, which then take no locks at all.
    private HnswNodeLocks? _nodeLocks;
    private readonly object _globalLock = new();

    /// <summary>Inserts nodes 0..count-1 on <paramref name="threads"/> threads that take nodes in ordinal order.</summary>
    public void InsertAllParallel(int threads) => InsertParallel(null, threads);

    /// <summary>Inserts <paramref name="nodes"/> (null: 0..count-1) on <paramref name="threads"/> threads that take
    /// them in the order given.</summary>
    public void InsertParallel(int[]? nodes, int threads)
    {
        int total = nodes?.Length ?? _count;
        _nodeLocks = new HnswNodeLocks(_count);

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
            var worker = t == 0 ? _mainWorker : new HnswBuildWorker(_count, _efConstruction, _maxConn0);
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

    /// <summary>
    /// Reads the entry point and top level an insert of a node of <paramref name="level"/> starts from. Under
    /// <paramref name="locks"/>, a node that will raise the top level keeps the global lock for its whole insert (as
    /// hnswlib does), so two such nodes cannot race for the entry point; returns true when the caller must release it.
    /// </summary>
    private bool EnterInsert(int level, HnswNodeLocks? locks, out int entryPoint, out int maxLevel)
    {
        if (locks is null)
        {
            entryPoint = _entryPoint;
            maxLevel = _maxLevel;
            return false;
        }

        Monitor.Enter(_globalLock);
        entryPoint = _entryPoint;
        maxLevel = _maxLevel;
        bool holdsGlobal = level > maxLevel;
        if (!holdsGlobal)
        {
            Monitor.Exit(_globalLock);
        }

        return holdsGlobal;
    }
}
