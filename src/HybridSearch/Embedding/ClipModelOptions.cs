namespace HybridSearch.Embedding;

/// <summary>Settings of <see cref="ClipModel"/>. All have working defaults.</summary>
public sealed record ClipModelOptions
{
    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Most images, or text windows, sent to the model in one run. Default 16.</summary>
    public int MaxBatchSize { get; init; } = 16;
}
