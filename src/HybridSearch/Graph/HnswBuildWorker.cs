namespace HybridSearch.Graph;

/// <summary>Per-thread scratch of a build: a searcher and the candidate / selection / pruning buffers, allocated once.</summary>
internal sealed class HnswBuildWorker
{
    public HnswBuildWorker(int count, int efConstruction, int maxConn0)
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
