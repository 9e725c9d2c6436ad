namespace HybridSearch.Embedding;

/// <summary>Settings of <see cref="MiniLMTextEmbedder"/>. All have working defaults.</summary>
public sealed record MiniLMTextEmbedderOptions
{
    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Most chunks sent to the model in one run. Default 32.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Window length in word pieces including [CLS] and [SEP]. Default 256, the length all-MiniLM-L6-v2 was
    /// trained with; at most 512 (the model's position table).</summary>
    public int MaxTokensPerChunk { get; init; } = 256;

    /// <summary>Word pieces shared by consecutive windows of a long text, so a sentence cut by a window boundary is
    /// still seen whole by one of them. Default 32; must be less than half the window.</summary>
    public int ChunkOverlapTokens { get; init; } = 32;
}
