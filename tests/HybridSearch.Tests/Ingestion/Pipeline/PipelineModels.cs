using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Tests.Ingestion.Pipeline;

/// <summary>The real ResNet18 and MiniLM models (from the NuGet packages in the test output folder), loaded once for
/// all pipeline tests; each test builds its own pipeline around them.</summary>
public sealed class PipelineModels : IDisposable
{
    public ResNet18ImageEmbedder Images { get; } = new(new ResNet18ImageEmbedderOptions { MaxBatchSize = 8 });

    public MiniLMTextEmbedder Text { get; } = new();

    /// <summary>Options with the shared models, sidecar transcripts only (deterministic, no recogniser) and small batches.</summary>
    public IngestionPipelineOptions Options(int commitEvery = 500, int batchSize = 4) => IngestionPipelineOptions.Default
        .WithImageEmbedder(Images, EmbedderImagePreparation.ResNet18())
        .WithTextEmbedder(Text)
        .WithTranscriber(new SidecarTranscriber())
        .WithCommitEvery(commitEvery)
        .WithBatchSize(batchSize);

    public void Dispose()
    {
        Images.Dispose();
        Text.Dispose();
    }
}
