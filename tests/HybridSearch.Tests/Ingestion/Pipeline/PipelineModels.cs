using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Tests.Ingestion.Pipeline;

/// <summary>The real ResNet18 and MiniLM models (<see cref="TestModels"/>, loaded once per test run) for the pipeline
/// tests; each test builds its own pipeline around them.</summary>
public sealed class PipelineModels
{
    public ResNet18ImageEmbedder Images => TestModels.Images;

    public MiniLMTextEmbedder Text => TestModels.Text;

    /// <summary>Options with the shared models, sidecar transcripts only (deterministic, no recogniser) and small batches.</summary>
    public IngestionPipelineOptions Options(int commitEvery = 500, int batchSize = 4) => IngestionPipelineOptions.Default
        .WithImageEmbedder(Images, EmbedderImagePreparation.ResNet18())
        .WithTextEmbedder(Text) with { Transcriber = new SidecarTranscriber(), CommitEvery = commitEvery, BatchSize = batchSize };
}
