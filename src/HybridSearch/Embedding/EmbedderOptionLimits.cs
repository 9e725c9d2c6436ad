namespace HybridSearch.Embedding;

/// <summary>The limits the embedders' options share, checked where each setting is set.</summary>
internal static class EmbedderOptionLimits
{
    /// <summary><paramref name="value"/> when it is a valid <c>IntraOpThreads</c>: 0 (one per physical core) or more.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static int IntraOpThreads(int value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), value, "IntraOpThreads must be 0 (one per physical core) or more.");

    /// <summary><paramref name="value"/> when it is a valid <c>MaxBatchSize</c>: 1 or more.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxBatchSize(int value) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), value, "MaxBatchSize must be 1 or more.");
}
