using HybridSearch.Embedding;
using HybridSearch.Vectors;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Embedding;

public sealed class ResNet18ImageEmbedderFixture
{
    public ResNet18ImageEmbedder Embedder => TestModels.Images;
}

public class ResNet18ImageEmbedderTests(ResNet18ImageEmbedderFixture fixture) : IClassFixture<ResNet18ImageEmbedderFixture>
{
    private readonly ResNet18ImageEmbedder _embedder = fixture.Embedder;

    [Fact]
    public void InfoDescribesResNet18Features() =>
        Assert.Equal(new EmbedderInfo("resnet18", 512, VectorSimilarity.Cosine), _embedder.Info);

    [Fact]
    public void ModelsAreCopiedNextToTheAssembly()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, ResNet18ImageEmbedder.PreprocessModelRelativePath)));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, ResNet18ImageEmbedder.ResNetModelRelativePath)));
    }

    [Fact]
    public void SimilarImagesAreCloserThanDifferentOnes()
    {
        using var red = TestImages.SquareOnGrey(new Rgb24(220, 30, 30), 0);
        using var redShifted = TestImages.SquareOnGrey(new Rgb24(210, 35, 30), 6);
        using var stripes = TestImages.BlueStripes();

        IReadOnlyList<float[]> vectors = _embedder.Embed([red, redShifted, stripes]);

        Assert.All(vectors, vector => Assert.Equal(512, vector.Length));
        Assert.All(vectors, vector => VectorAssert.UnitLength(vector));
        float near = VectorAssert.Cosine(vectors[0], vectors[1]);
        float far = VectorAssert.Cosine(vectors[0], vectors[2]);
        Assert.True(near > far + 0.1f, $"cos(red, red shifted) = {near}, cos(red, stripes) = {far}");
        Assert.True(near > 0.9f, $"cos(red, red shifted) = {near}");
    }

    [Fact]
    public void BatchEqualsSingleCalls()
    {
        // Five images with MaxBatchSize 4: one full batch and one partial batch.
        var images = Enumerable.Range(0, 5).Select(seed => TestImages.Noise(180 + 20 * seed, 150, seed)).ToList();
        try
        {
            IReadOnlyList<float[]> batched = _embedder.Embed(images);
            for (int i = 0; i < images.Count; i++)
            {
                VectorAssert.Close(_embedder.Embed([images[i]])[0], batched[i], 1e-5f);
            }
        }
        finally
        {
            images.ForEach(image => image.Dispose());
        }
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameVectors()
    {
        var images = Enumerable.Range(0, 4).Select(seed => TestImages.Noise(224, 224, 100 + seed)).ToList();
        try
        {
            float[][] expected = images.Select(image => _embedder.Embed([image])[0]).ToArray();
            var actual = new float[8][];
            Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
                i => actual[i] = _embedder.Embed([images[i % images.Count]])[0]);
            for (int i = 0; i < actual.Length; i++)
            {
                VectorAssert.Close(expected[i % images.Count], actual[i], 1e-5f);
            }
        }
        finally
        {
            images.ForEach(image => image.Dispose());
        }
    }

    [Fact]
    public void InputImageIsNotModified()
    {
        using var image = TestImages.Noise(300, 120, 7);
        using var copy = image.Clone();
        _embedder.Embed([image]);
        Assert.Equal(300, image.Width);
        Assert.Equal(copy[17, 33], image[17, 33]);
    }

    [Fact]
    public void EmptyInputGivesNoVectors() => Assert.Empty(_embedder.Embed([]));

    [Fact]
    public void CancelledTokenStopsBeforeInference()
    {
        using var image = TestImages.Noise(64, 64, 1);
        Assert.Throws<OperationCanceledException>(() => _embedder.Embed([image], new CancellationToken(canceled: true)));
    }

    [Fact]
    public void MissingModelFolderNamesPathAndPackage()
    {
        string folder = Path.Combine(Path.GetTempPath(), "hs-no-models-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<FileNotFoundException>(() => new ResNet18ImageEmbedder(new ResNet18ImageEmbedderOptions { ModelDirectory = folder }));
        Assert.Contains(folder, error.Message);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", error.Message);
        Assert.EndsWith("ResNetPreprocess.onnx", error.FileName);
    }
}
