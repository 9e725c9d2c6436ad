using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Tests.Embedding;

namespace HybridSearch.Tests.Ingestion.Pipeline;

public sealed class EmbedderImagePreparationTests
{
    [Theory]
    [InlineData(333, 201)]
    [InlineData(201, 333)]
    [InlineData(224, 224)]
    [InlineData(100, 60)]
    public void ClipPreparationGivesThePreprocessorTheSameInputAsTheOriginal(int width, int height)
    {
        using var original = TestImages.Noise(width, height, seed: width ^ height);
        using var prepared = EmbedderImagePreparation.Clip()(original);

        Assert.Equal(ClipImagePreprocessor.DefaultSize, prepared.Width);
        Assert.Equal(ClipImagePreprocessor.DefaultSize, prepared.Height);
        var length = 3 * ClipImagePreprocessor.DefaultSize * ClipImagePreprocessor.DefaultSize;
        var fromOriginal = new float[length];
        var fromPrepared = new float[length];
        ClipImagePreprocessor.WriteTensor(original, fromOriginal);
        ClipImagePreprocessor.WriteTensor(prepared, fromPrepared);
        Assert.Equal(fromOriginal, fromPrepared);
    }

    [Theory]
    [InlineData(ImageFit.CenterCrop, 333, 201)]
    [InlineData(ImageFit.Stretch, 150, 400)]
    public void ResNet18PreparationGivesThePreprocessorTheSameInputAsTheOriginal(ImageFit fit, int width, int height)
    {
        using var original = TestImages.Noise(width, height, seed: 5);
        using var prepared = EmbedderImagePreparation.ResNet18(fit)(original);

        var fromOriginal = new float[ResNetImagePreprocessor.TensorLength];
        var fromPrepared = new float[ResNetImagePreprocessor.TensorLength];
        ResNetImagePreprocessor.WriteTensor(original, fromOriginal, fit);
        ResNetImagePreprocessor.WriteTensor(prepared, fromPrepared, fit);
        Assert.Equal(fromOriginal, fromPrepared);
    }
}
