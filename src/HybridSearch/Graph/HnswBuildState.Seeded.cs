namespace HybridSearch.Graph;

/// <summary>Seeding a build with an existing graph (a merge that keeps the largest segment's graph).</summary>
internal sealed partial class HnswBuildState<TScorer>
{
    /// <summary>
    /// Takes over <paramref name="seed"/>'s nodes, levels and links under new ordinals (<paramref name="seedToNew"/>[old] is
    /// the new ordinal, or -1 for a deleted node). A node that lost neighbours to deletions chooses its list again, with
    /// the diversity heuristic, among its live neighbours and the live neighbours of the ones it lost (the repair
    /// hnswlib and Lucene use). The entry point stays unless deleted; then the highest live node takes over. Must run
    /// on a fresh state, before any insert. Returns how many nodes were seeded.
    /// </summary>
    public int SeedFrom(HnswGraph seed, int[] seedToNew)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(seedToNew);
        if (seed.M != _m || seedToNew.Length != seed.Count)
        {
            throw new ArgumentException($"The seed graph has M = {seed.M} and {seed.Count} nodes; the build has M = {_m} and the map {seedToNew.Length} entries.", nameof(seed));
        }

        if (_entryPoint >= 0)
        {
            throw new InvalidOperationException("A build can only be seeded before its first insert.");
        }

        int seeded = 0;
        int bestEntry = -1;
        for (int old = 0; old < seed.Count; old++)
        {
            int node = seedToNew[old];
            if (node < 0)
            {
                continue;
            }

            int level = seed.LevelOf(old);
            _levels[node] = level;
            _upper[node] = level > 0 ? new int[level * (_m + 1)] : null;
            _upperScores[node] = level > 0 ? new float[level * _m] : null;
            seeded++;
            if (bestEntry < 0 || level > _levels[bestEntry])
            {
                bestEntry = node;
            }
        }

        if (seeded == 0)
        {
            return 0;
        }

        var repair = new RepairScratch(_count, _maxConn0);
        for (int old = 0; old < seed.Count; old++)
        {
            int node = seedToNew[old];
            if (node < 0)
            {
                continue;
            }

            for (int level = 0; level <= _levels[node]; level++)
            {
                SeedList(seed, seedToNew, old, node, level, repair);
            }
        }

        int seedEntry = seed.EntryPoint >= 0 ? seedToNew[seed.EntryPoint] : -1;
        _entryPoint = seedEntry >= 0 ? seedEntry : bestEntry;
        _maxLevel = _levels[_entryPoint];
        return seeded;
    }

    private void SeedList(HnswGraph seed, int[] seedToNew, int old, int node, int level, RepairScratch repair)
    {
        int maxConn = level == 0 ? _maxConn0 : _m;
        ReadOnlySpan<int> oldList = seed.Neighbours(level, old);
        int generation = repair.NextGeneration();
        int candidates = 0;
        bool lost = false;
        foreach (int oldNeighbour in oldList)
        {
            int neighbour = seedToNew[oldNeighbour];
            if (neighbour >= 0)
            {
                candidates = repair.Add(neighbour, node, generation, candidates);
                continue;
            }

            // A deleted neighbour: its own live neighbours on this level stand in for it.
            lost = true;
            foreach (int twoHops in seed.Neighbours(level, oldNeighbour))
            {
                int replacement = seedToNew[twoHops];
                if (replacement >= 0)
                {
                    candidates = repair.Add(replacement, node, generation, candidates);
                }
            }
        }

        for (int i = 0; i < candidates; i++)
        {
            repair.Scores[i] = _scorer.Score(node, repair.Ords[i]);
        }

        ListOf(node, level, out int[] links, out int offset, out float[] scores, out int scoreOffset);
        int kept;
        if (!lost)
        {
            // The seed's own selection, in its order: nothing to choose again.
            Array.Copy(repair.Ords, 0, links, offset + 1, candidates);
            Array.Copy(repair.Scores, 0, scores, scoreOffset, candidates);
            kept = candidates;
        }
        else
        {
            repair.SortBestFirst(candidates);
            kept = SelectDiverse(repair.Ords, repair.Scores, candidates, maxConn, repair.KeptOrds, repair.KeptScores);
            Array.Copy(repair.KeptOrds, 0, links, offset + 1, kept);
            Array.Copy(repair.KeptScores, 0, scores, scoreOffset, kept);
        }

        links[offset] = kept;
    }

    /// <summary>Scratch of the repair pass: the candidate list (deduplicated by a generation-stamped array).</summary>
    private sealed class RepairScratch(int count, int maxConn0)
    {
        private readonly int[] _seen = new int[count];
        private int _generation;

        public int[] Ords { get; private set; } = new int[maxConn0 * 4];

        public float[] Scores { get; private set; } = new float[maxConn0 * 4];

        public int[] KeptOrds { get; } = new int[maxConn0 + 1];

        public float[] KeptScores { get; } = new float[maxConn0 + 1];

        private long[] _keys = new long[maxConn0 * 4];

        public int NextGeneration() => ++_generation;

        public int Add(int candidate, int node, int generation, int count)
        {
            if (candidate == node || _seen[candidate] == generation)
            {
                return count;
            }

            _seen[candidate] = generation;
            if (count == Ords.Length)
            {
                Ords = Grow(Ords);
                Scores = Grow(Scores);
                _keys = Grow(_keys);
            }

            Ords[count] = candidate;
            return count + 1;
        }

        public void SortBestFirst(int count)
        {
            for (int i = 0; i < count; i++)
            {
                _keys[i] = ScoredKey.Pack(Scores[i], Ords[i]);
            }

            _keys.AsSpan(0, count).Sort();
            for (int i = 0; i < count; i++)
            {
                long key = _keys[count - 1 - i];
                Ords[i] = ScoredKey.Ordinal(key);
                Scores[i] = ScoredKey.Score(key);
            }
        }

        private static T[] Grow<T>(T[] array)
        {
            var grown = new T[array.Length * 2];
            Array.Copy(array, grown, array.Length);
            return grown;
        }
    }
}
