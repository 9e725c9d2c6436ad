namespace HybridSearch.Graph;

/// <summary>
/// An immutable HNSW graph over ordinals 0..Count-1 (the vectors live elsewhere; scorers read them by ordinal).
/// Level 0 is one flat block with stride 2*M+1 per node: [count, n1, ..., n_count, padding]. Each upper level
/// 1..MaxLevel holds the sorted ordinals of its nodes and a flat neighbour block of stride M+1 in that order.
/// Safe for any number of concurrent searches (each thread uses its own <see cref="HnswGraphSearcher"/>).
/// </summary>
public sealed class HnswGraph
{
    // Level 0 may live in a memory-mapped index file (the codec's reader) or in an array (the builder).
    private readonly ReadOnlyMemory<int> _level0;

    // Per node, its neighbour lists on levels 1..level(node), each of stride M+1 (null for level-0-only nodes).
    // This node-major copy is what searches walk: no binary search per hop.
    private readonly int[]?[] _upperByNode;

    private readonly int[][] _levelNodes;      // index level-1
    private readonly int[][] _levelNeighbours; // index level-1

    private HnswGraph(int count, int m, int maxLevel, int entryPoint, ReadOnlyMemory<int> level0, int[]?[] upperByNode, int[][] levelNodes, int[][] levelNeighbours)
    {
        Count = count;
        M = m;
        MaxLevel = maxLevel;
        EntryPoint = entryPoint;
        _level0 = level0;
        _upperByNode = upperByNode;
        _levelNodes = levelNodes;
        _levelNeighbours = levelNeighbours;
    }

    /// <summary>Number of nodes (ordinals 0..Count-1).</summary>
    public int Count { get; }

    /// <summary>Maximum neighbours per node on the upper levels; level 0 allows 2*M.</summary>
    public int M { get; }

    /// <summary>Index of the top level (0 when the graph only has level 0).</summary>
    public int MaxLevel { get; }

    /// <summary>Ordinal where every search starts (a node on <see cref="MaxLevel"/>), or -1 when Count is 0.</summary>
    public int EntryPoint { get; }

    /// <summary>Stride of one node's record in <see cref="Level0"/>: 2*M+1 (count, then up to 2*M neighbours).</summary>
    public int Level0Stride => 2 * M + 1;

    /// <summary>Stride of one node's record in <see cref="NeighboursOnLevel"/>: M+1 (count, then up to M neighbours).</summary>
    public int UpperStride => M + 1;

    /// <summary>Level 0 adjacency: Count records of <see cref="Level0Stride"/> ints, [count, n1, ..., padding].</summary>
    public ReadOnlySpan<int> Level0 => _level0.Span;

    internal int[]?[] UpperByNode => _upperByNode;

    /// <summary>Sorted ordinals of the nodes on <paramref name="level"/> (1..MaxLevel).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Level is not in 1..MaxLevel (use <see cref="Level0"/> for level 0).</exception>
    public ReadOnlySpan<int> NodesOnLevel(int level) => _levelNodes[CheckUpperLevel(level) - 1];

    /// <summary>Flat neighbour block of <paramref name="level"/> (1..MaxLevel), stride M+1, in the order of <see cref="NodesOnLevel"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Level is not in 1..MaxLevel.</exception>
    public ReadOnlySpan<int> NeighboursOnLevel(int level) => _levelNeighbours[CheckUpperLevel(level) - 1];

    /// <summary>Top level that <paramref name="node"/> is on (0 for most nodes).</summary>
    public int LevelOf(int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, Count);
        int[]? upper = _upperByNode[node];
        return upper is null ? 0 : upper.Length / (M + 1);
    }

    /// <summary>The live neighbours of <paramref name="node"/> on <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level or node is out of range, or the node is not on that level.</exception>
    public ReadOnlySpan<int> Neighbours(int level, int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        int nodeLevel = LevelOf(node);
        if (level == 0)
        {
            var level0 = _level0.Span;
            int offset = node * Level0Stride;
            return level0.Slice(offset + 1, level0[offset]);
        }

        if (level > nodeLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Node {node} is on levels 0..{nodeLevel}, not on level {level}.");
        }

        int[] upper = _upperByNode[node]!;
        int start = (level - 1) * (M + 1);
        return new ReadOnlySpan<int>(upper, start + 1, upper[start]);
    }

    /// <summary>
    /// Rebuilds a graph from the arrays exposed by <see cref="Level0"/>, <see cref="NodesOnLevel"/> and
    /// <see cref="NeighboursOnLevel"/> (as read back from disk). Validates the whole structure.
    /// </summary>
    /// <param name="count">Number of nodes.</param>
    /// <param name="m">Maximum neighbours on upper levels (2*m on level 0).</param>
    /// <param name="maxLevel">Top level index.</param>
    /// <param name="entryPoint">Entry ordinal (-1 when count is 0); must be on the top level.</param>
    /// <param name="level0">Level 0 block, count * (2m+1) ints.</param>
    /// <param name="upperNodes">maxLevel arrays; [L-1] = sorted nodes on level L.</param>
    /// <param name="upperNeighbours">maxLevel arrays; [L-1] = neighbour block of level L, stride m+1.</param>
    /// <returns>The graph; it takes ownership of the arrays, which the caller must not modify afterwards.</returns>
    /// <exception cref="InvalidDataException">The arrays do not describe a valid graph; the message names the problem.</exception>
    public static HnswGraph FromArrays(int count, int m, int maxLevel, int entryPoint, int[] level0, int[][] upperNodes, int[][] upperNeighbours)
    {
        ArgumentNullException.ThrowIfNull(level0);
        return Create(count, m, maxLevel, entryPoint, level0, upperNodes, upperNeighbours, checkLevel0: true);
    }

    /// <summary>
    /// Wraps a level 0 block kept elsewhere (a memory-mapped file) and upper levels read into arrays. Everything but
    /// the level 0 lists is validated here (it is small); level 0 is validated by <see cref="CheckLevel0"/>, which an
    /// integrity check calls, so opening does not read every node. A damaged level 0 can only make a search fail
    /// with an exception (spans and scorers check their bounds), never read outside the block.
    /// </summary>
    internal static HnswGraph FromStorage(int count, int m, int maxLevel, int entryPoint, ReadOnlyMemory<int> level0, int[][] upperNodes, int[][] upperNeighbours) =>
        Create(count, m, maxLevel, entryPoint, level0, upperNodes, upperNeighbours, checkLevel0: false);

    /// <summary>Validates every level 0 neighbour list (count in range, neighbours in range, no self links, no duplicates).</summary>
    /// <exception cref="InvalidDataException">A list is invalid; the message names the node.</exception>
    internal void CheckLevel0()
    {
        var seen = new int[Count];
        var level0 = _level0.Span;
        int stride0 = Level0Stride;
        for (int node = 0; node < Count; node++)
        {
            CheckList(level0.Slice(node * stride0, stride0), 2 * M, node, 0, Count, seen, node + 1, null);
        }
    }

    private static HnswGraph Create(int count, int m, int maxLevel, int entryPoint, ReadOnlyMemory<int> level0, int[][] upperNodes, int[][] upperNeighbours, bool checkLevel0)
    {
        ArgumentNullException.ThrowIfNull(upperNodes);
        ArgumentNullException.ThrowIfNull(upperNeighbours);
        if (count < 0)
        {
            throw new InvalidDataException($"HNSW graph: node count {count} is negative.");
        }

        if (m < 1 || m > HnswBuildOptions.MaxM)
        {
            throw new InvalidDataException($"HNSW graph: M = {m} is outside 1..{HnswBuildOptions.MaxM}.");
        }

        if (maxLevel < 0 || maxLevel > 64)
        {
            throw new InvalidDataException($"HNSW graph: max level {maxLevel} is outside 0..64.");
        }

        if (count == 0 ? entryPoint != -1 || maxLevel != 0 : entryPoint < 0 || entryPoint >= count)
        {
            throw new InvalidDataException($"HNSW graph: entry point {entryPoint} (max level {maxLevel}) is invalid for {count} nodes.");
        }

        int stride0 = 2 * m + 1;
        if ((long)level0.Length != (long)count * stride0)
        {
            throw new InvalidDataException($"HNSW graph: level 0 block has {level0.Length} ints, expected {count} * {stride0} = {(long)count * stride0}.");
        }

        if (upperNodes.Length != maxLevel || upperNeighbours.Length != maxLevel)
        {
            throw new InvalidDataException($"HNSW graph: expected {maxLevel} upper levels, got {upperNodes.Length} node arrays and {upperNeighbours.Length} neighbour arrays.");
        }

        var seen = new int[count]; // generation marks for duplicate detection
        int generation = 0;
        if (checkLevel0)
        {
            var block = level0.Span;
            for (int node = 0; node < count; node++)
            {
                CheckList(block.Slice(node * stride0, stride0), 2 * m, node, 0, count, seen, ++generation, null);
            }
        }

        int[]?[] upperByNode = new int[]?[count];
        int upperStride = m + 1;
        for (int level = 1; level <= maxLevel; level++)
        {
            int[] nodes = upperNodes[level - 1] ?? throw new InvalidDataException($"HNSW graph: node array of level {level} is missing.");
            int[] neighbours = upperNeighbours[level - 1] ?? throw new InvalidDataException($"HNSW graph: neighbour array of level {level} is missing.");
            if (nodes.Length == 0)
            {
                throw new InvalidDataException($"HNSW graph: level {level} has no nodes.");
            }

            if ((long)neighbours.Length != (long)nodes.Length * upperStride)
            {
                throw new InvalidDataException($"HNSW graph: level {level} neighbour block has {neighbours.Length} ints, expected {nodes.Length} * {upperStride}.");
            }

            for (int i = 0; i < nodes.Length; i++)
            {
                int node = nodes[i];
                if (node < 0 || node >= count)
                {
                    throw new InvalidDataException($"HNSW graph: level {level} lists node {node}, outside 0..{count - 1}.");
                }

                if (i > 0 && node <= nodes[i - 1])
                {
                    throw new InvalidDataException($"HNSW graph: level {level} nodes are not strictly increasing at index {i} ({nodes[i - 1]}, {node}).");
                }

                int[]? upper = upperByNode[node];
                if (level > 1 && (upper is null || upper.Length != (level - 1) * upperStride))
                {
                    throw new InvalidDataException($"HNSW graph: node {node} is on level {level} but not on level {level - 1}.");
                }

                Array.Resize(ref upper, level * upperStride);
                Array.Copy(neighbours, i * upperStride, upper, (level - 1) * upperStride, upperStride);
                upperByNode[node] = upper;
            }

            for (int i = 0; i < nodes.Length; i++)
            {
                CheckList(neighbours.AsSpan(i * upperStride, upperStride), m, nodes[i], level, count, seen, ++generation, nodes);
            }
        }

        if (maxLevel > 0 && Array.BinarySearch(upperNodes[maxLevel - 1], entryPoint) < 0)
        {
            throw new InvalidDataException($"HNSW graph: entry point {entryPoint} is not on the top level {maxLevel}.");
        }

        return new HnswGraph(count, m, maxLevel, entryPoint, level0, upperByNode, upperNodes, upperNeighbours);
    }

    /// <summary>Wraps the builder's arrays (already valid by construction) and derives the per-level views.</summary>
    internal static HnswGraph FromBuilder(int count, int m, int maxLevel, int entryPoint, int[] level0, int[]?[] upperByNode)
    {
        int upperStride = m + 1;
        var sizes = new int[maxLevel + 1];
        for (int node = 0; node < count; node++)
        {
            int level = upperByNode[node] is { } u ? u.Length / upperStride : 0;
            for (int l = 1; l <= level; l++)
            {
                sizes[l]++;
            }
        }

        var levelNodes = new int[maxLevel][];
        var levelNeighbours = new int[maxLevel][];
        for (int l = 1; l <= maxLevel; l++)
        {
            levelNodes[l - 1] = new int[sizes[l]];
            levelNeighbours[l - 1] = new int[sizes[l] * upperStride];
            sizes[l] = 0;
        }

        for (int node = 0; node < count; node++)
        {
            if (upperByNode[node] is not { } upper)
            {
                continue;
            }

            int level = upper.Length / upperStride;
            for (int l = 1; l <= level; l++)
            {
                int index = sizes[l]++;
                levelNodes[l - 1][index] = node;
                Array.Copy(upper, (l - 1) * upperStride, levelNeighbours[l - 1], index * upperStride, upperStride);
            }
        }

        return new HnswGraph(count, m, maxLevel, entryPoint, level0, upperByNode, levelNodes, levelNeighbours);
    }

    private static void CheckList(ReadOnlySpan<int> record, int max, int node, int level, int count, int[] seen, int generation, int[]? levelNodes)
    {
        int n = record[0];
        if (n < 0 || n > max)
        {
            throw new InvalidDataException($"HNSW graph: node {node} on level {level} has {n} neighbours, outside 0..{max}.");
        }

        for (int i = 1; i <= n; i++)
        {
            int neighbour = record[i];
            if (neighbour < 0 || neighbour >= count)
            {
                throw new InvalidDataException($"HNSW graph: node {node} on level {level} links to {neighbour}, outside 0..{count - 1}.");
            }

            if (neighbour == node)
            {
                throw new InvalidDataException($"HNSW graph: node {node} on level {level} links to itself.");
            }

            if (seen[neighbour] == generation)
            {
                throw new InvalidDataException($"HNSW graph: node {node} on level {level} lists neighbour {neighbour} twice.");
            }

            seen[neighbour] = generation;
            if (levelNodes is not null && Array.BinarySearch(levelNodes, neighbour) < 0)
            {
                throw new InvalidDataException($"HNSW graph: node {node} on level {level} links to {neighbour}, which is not on that level.");
            }
        }
    }

    private int CheckUpperLevel(int level)
    {
        if (level < 1 || level > MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Upper levels are 1..{MaxLevel}; level 0 is exposed by Level0.");
        }

        return level;
    }
}
