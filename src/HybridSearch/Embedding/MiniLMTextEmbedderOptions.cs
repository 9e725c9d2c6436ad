namespace HybridSearch.Embedding;

/// <summary>Settings of <see cref="MiniLMTextEmbedder"/>. All have working defaults; every setting is checked when set,
/// including in <c>with</c> expressions.</summary>
public sealed record MiniLMTextEmbedderOptions
{
    /// <summary>The longest window the model reads: its position table.</summary>
    public const int MaxWindowTokens = 512;

    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int IntraOpThreads
    {
        get;
        init => field = EmbedderOptionLimits.IntraOpThreads(value);
    }

    /// <summary>Most chunks sent to the model in one run. Default 32, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxBatchSize
    {
        get;
        init => field = EmbedderOptionLimits.MaxBatchSize(value);
    } = 32;

    /// <summary>Window length in word pieces including [CLS] and [SEP]. Default 256, the length all-MiniLM-L6-v2 was
    /// trained with; in [8, <see cref="MaxWindowTokens"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [8, <see cref="MaxWindowTokens"/>].</exception>
    public int MaxTokensPerChunk
    {
        get;
        init => field = value is >= 8 and <= MaxWindowTokens ? value : throw new ArgumentOutOfRangeException(nameof(MaxTokensPerChunk), value, $"MaxTokensPerChunk must be in [8, {MaxWindowTokens}].");
    } = 256;

    /// <summary>Word pieces shared by consecutive windows of a long text, so a sentence cut by a window boundary is
    /// still seen whole by one of them. Default 32, at least 0; the embedder also requires it to be less than half the
    /// window (<c>(MaxTokensPerChunk - 2) / 2</c>), which depends on two settings and so is checked when it loads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int ChunkOverlapTokens
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(ChunkOverlapTokens), value, "ChunkOverlapTokens must be 0 or more.");
    } = 32;
}
