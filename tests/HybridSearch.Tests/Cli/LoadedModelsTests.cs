using HybridSearch.Cli;
using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Tests.Embedding;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Cli;

public sealed class LoadedModelsTests
{
    [Fact]
    public void CommandsShareOneLoadedModelPerOptionsAndThePipelineGetsTheOnesItWouldLoad()
    {
        var models = LoadedModels.Shared;

        Assert.Same(models.Text(), models.Text());
        Assert.Same(models.Images(), models.Images(new ResNet18ImageEmbedderOptions().MaxBatchSize));
        var pipeline = models.ForPipeline(IngestionPipelineOptions.Default);
        var images = Assert.IsType<ResNet18ImageEmbedder>(pipeline.ImageEmbedder);
        Assert.Same(models.Images(IngestionPipelineOptions.Default.BatchSize), images);
        Assert.NotNull(pipeline.ImagePreparation);
        Assert.Same(models.Text(), pipeline.TextEmbedder);
        Assert.Same(images, models.ForPipeline(IngestionPipelineOptions.Default).ImageEmbedder);
        Assert.Same(models.Speech(), models.Speech());
        Assert.Equal(["sidecar", "pocketsphinx"], ((TranscriberChain)pipeline.Transcriber!).Transcribers.Select(t => t.Name));

        // What the options already name is kept; text off stays off.
        var own = TestModels.Images;
        var kept = models.ForPipeline(IngestionPipelineOptions.Default.WithImageEmbedder(own).WithoutTextEmbedding());
        Assert.Same(own, kept.ImageEmbedder);
        Assert.Null(kept.TextEmbedder);
        Assert.False(kept.EmbedText);
    }

    [Fact]
    public void DisposingReleasesTheLoadedModelsAndRefusesNewRequests()
    {
        var models = new LoadedModels();
        var images = models.Images(maxBatchSize: 1);
        using var picture = TestImages.Filled(8, 8, new Rgb24(10, 20, 30));

        models.Dispose();
        models.Dispose(); // twice is harmless

        Assert.Throws<ObjectDisposedException>(() => images.Embed([picture]));
        Assert.Throws<ObjectDisposedException>(() => models.Images(maxBatchSize: 1));
        Assert.Throws<ObjectDisposedException>(() => models.Text());
        Assert.Throws<ObjectDisposedException>(() => models.Speech());
    }
}
