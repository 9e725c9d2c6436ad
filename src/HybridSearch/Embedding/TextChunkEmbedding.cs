namespace HybridSearch.Embedding;

/// <summary>One window of a text and its vector, as produced by <see cref="MiniLMTextEmbedder.EmbedChunks(IReadOnlyList{string}, CancellationToken)"/>.</summary>
/// <param name="Start">Index of the first character of the window in the original text.</param>
/// <param name="Length">Number of characters of the window (from its first to its last word, inclusive).</param>
/// <param name="TokenCount">Word pieces in the window, excluding [CLS] and [SEP].</param>
/// <param name="Vector">The L2-normalised embedding of the window.</param>
public sealed record TextChunkEmbedding(int Start, int Length, int TokenCount, float[] Vector)
{
    /// <summary>The window's text, cut from the text it was computed from.</summary>
    public string Slice(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Substring(Start, Length);
    }
}
