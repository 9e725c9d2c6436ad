namespace HybridSearch.Embedding;

/// <summary>Settings of <see cref="ClipModel"/>. All have working defaults; every setting is checked when set,
/// including in <c>with</c> expressions.</summary>
public sealed record ClipModelOptions
{
    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int IntraOpThreads
    {
        get;
        init => field = EmbedderOptionLimits.IntraOpThreads(value);
    }

    /// <summary>Most images, or text windows, sent to the model in one run. Default 16, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxBatchSize
    {
        get;
        init => field = EmbedderOptionLimits.MaxBatchSize(value);
    } = 16;
}
