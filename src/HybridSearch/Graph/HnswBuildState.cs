namespace HybridSearch.Graph;

/// <summary>
/// Mutable state of one build: level 0 as one flat block of stride 2M+1, upper levels per node, and the score of
/// every stored link (so pruning an over-full list does not rescore the node against its neighbours). All scratch is
/// allocated once. This file inserts nodes; the other parts of the class run parallel inserts
/// (HnswBuildState.Parallel.cs), add and prune links (HnswBuildState.Links.cs), repair level-0 reachability
/// (HnswBuildState.Level0Repair.cs) and seed a build with an existing graph (HnswBuildState.Seeded.cs).
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
    private readonly HnswBuildWorker _mainWorker;

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

        _mainWorker = new HnswBuildWorker(count, _efConstruction, _maxConn0);
    }

    public void Insert(int node) => Insert(node, _mainWorker);

    public HnswGraph ToGraph() => HnswGraph.FromBuilder(_count, _m, _maxLevel, _count == 0 ? -1 : _entryPoint, _level0, _upper);

    private void Insert(int node, HnswBuildWorker w)
    {
        int level = _levels[node];
        HnswNodeLocks? locks = _nodeLocks;
        bool holdsGlobal = EnterInsert(level, locks, out int entryPoint, out int maxLevel);
        try
        {
            if (entryPoint < 0)
            {
                _entryPoint = node;
                _maxLevel = level;
                return;
            }

            var query = new PairQueryScorer<TScorer>(_scorer, node);
            var context = new HnswSearchContext<PairQueryScorer<TScorer>>(ref query, _level0, _upper, _m, null, locks);
            HnswGraphSearcher searcher = w.Searcher;
            searcher.Begin(_count, int.MaxValue);
            int current = entryPoint;
            searcher.TryScore(ref query, current, out float currentScore);
            searcher.DescendUpperLevels(ref context, maxLevel, level, ref current, ref currentScore);

            for (int l = Math.Min(level, maxLevel); l >= 0; l--)
            {
                searcher.SearchLevel(ref context, l, current, currentScore, _efConstruction);
                int found = searcher.DrainResultsBestFirst(w.CandidateOrds, w.CandidateScores);
                current = w.CandidateOrds[0];
                currentScore = w.CandidateScores[0];

                // hnswlib links a new node to at most M neighbours on every level; 2M is only the cap for pruning.
                int selected = SelectDiverse(w.CandidateOrds, w.CandidateScores, found, _m, w.SelectedOrds, w.SelectedScores);
                SetLinks(node, l, w.SelectedOrds, w.SelectedScores, selected, locks);
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
}
