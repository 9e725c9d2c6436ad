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

    // Batches of 4 so that five images exercise one full and one partial batch.
    private static readonly Lazy<ResNet18ImageEmbedder> SharedImages =
        new(() => new ResNet18ImageEmbedder(new ResNet18ImageEmbedderOptions { IntraOpThreads = 1, MaxBatchSize = 4 }));

    /// <summary>MiniLM with one intra-op thread.</summary>
    public static MiniLMTextEmbedder Text => SharedText.Value;

    /// <summary>ResNet18 with one intra-op thread and batches of at most 4 images.</summary>
    public static ResNet18ImageEmbedder Images => SharedImages.Value;
}
