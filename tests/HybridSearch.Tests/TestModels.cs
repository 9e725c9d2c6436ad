using HybridSearch.Embedding;

namespace HybridSearch.Tests;

/// <summary>
/// The real MiniLM and ResNet18 models, loaded once per test run and shared by every fixture that needs them (each
/// load costs a second or two and ~100 MB; loading them per fixture made the suite slower and hungrier). Embedders are
/// thread-safe, so parallel test classes may use them at once. They are never disposed: the test process ends with
/// them. A test about construction, options or disposal builds its own instance instead.
/// </summary>
internal static class TestModels
{
    private static readonly Lazy<MiniLMTextEmbedder> SharedText =
        new(() => new MiniLMTextEmbedder(new MiniLMTextEmbedderOptions { IntraOpThreads = 1 }));

    private static readonly Lazy<MiniLMTextEmbedder> SharedSmallWindowText =
        new(() => new MiniLMTextEmbedder(new MiniLMTextEmbedderOptions { MaxTokensPerChunk = 16, ChunkOverlapTokens = 2, IntraOpThreads = 1 }));

    // Batches of 4 so that five images exercise one full and one partial batch.
    private static readonly Lazy<ResNet18ImageEmbedder> SharedImages =
        new(() => new ResNet18ImageEmbedder(new ResNet18ImageEmbedderOptions { IntraOpThreads = 1, MaxBatchSize = 4 }));

    /// <summary>MiniLM with one intra-op thread.</summary>
    public static MiniLMTextEmbedder Text => SharedText.Value;

    /// <summary>MiniLM with windows of 16 word pieces overlapping by 2 and one intra-op thread: a text of a few hundred
    /// words already spans dozens of windows, so tests of window splitting and chunk progress run in a fraction of the
    /// time 256-piece windows take.</summary>
    public static MiniLMTextEmbedder SmallWindowText => SharedSmallWindowText.Value;

    /// <summary>ResNet18 with one intra-op thread and batches of at most 4 images.</summary>
    public static ResNet18ImageEmbedder Images => SharedImages.Value;
}
