using HybridSearch.Embedding;
using HybridSearch.Vectors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Embedding;

public class ClipModelTests
{
    private static readonly ClipModelOptions Options = new() { IntraOpThreads = 1, MaxBatchSize = 2 };

    [Fact]
    public void SplitExportLoadsWithInfoFromFolderAndOutputs()
    {
        using var folder = new TinyClipFolder("ViT-Tiny").WithSplitModels().WithVocabularyAndMerges();
        using var clip = new ClipModel(folder.Folder, Options);

        var expected = new EmbedderInfo("clip:ViT-Tiny", TinyClipFolder.Dimension, VectorSimilarity.Cosine);
        Assert.Equal(expected, clip.Info);
        Assert.Equal(expected, clip.ImageEmbedder.Info);
        Assert.Equal(expected, clip.TextEmbedder.Info);
        Assert.Equal(TinyClipFolder.ImageSize, clip.ImageSize);
        Assert.Equal(77, clip.ContextLength);
    }

    [Fact]
    public void ImageVectorsAreTheNormalisedGraphOutput()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        using var clip = new ClipModel(folder.Folder, Options);
        Rgb24[] colors = [new(255, 0, 0), new(0, 200, 50), new(10, 20, 250), new(128, 128, 128), new(255, 255, 0)];
        var images = colors.Select(color => TestImages.Filled(40, 60, color)).ToList();
        try
        {
            // Five images with MaxBatchSize 2: batches of 2, 2 and 1.
            IReadOnlyList<float[]> vectors = clip.ImageEmbedder.Embed(images);

            for (int i = 0; i < colors.Length; i++)
            {
                VectorAssert.Close(ExpectedImageVector(colors[i]), vectors[i], 1e-5f);
                VectorAssert.Close(clip.ImageEmbedder.Embed([images[i]])[0], vectors[i], 1e-6f);
            }
        }
        finally
        {
            images.ForEach(image => image.Dispose());
        }
    }

    [Fact]
    public void TextVectorsAreTheNormalisedGraphOutputOfPaddedIds()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        using var clip = new ClipModel(folder.Folder, Options);
        string[] texts = ["a cat", "photo!!", "cat photo tac", ""];

        IReadOnlyList<float[]> vectors = clip.TextEmbedder.Embed(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(ExpectedTextVector(clip.Tokenizer.EncodeToIds(texts[i])), vectors[i], 1e-5f);
        }
    }

    [Fact]
    public void LongTextIsSplitIntoWindowsAndAveraged()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        using var clip = new ClipModel(folder.Folder, Options);
        // 80 words "a" and 20 "photo": windows of 75 tokens: [75 × a], [5 × a, 20 × photo].
        string text = string.Join(' ', Enumerable.Repeat("a", 80).Concat(Enumerable.Repeat("photo", 20)));

        float[] vector = clip.TextEmbedder.Embed([text])[0];

        float[] first = ExpectedTextVector([21, .. Enumerable.Repeat(7, 75), 22]);
        float[] second = ExpectedTextVector([21, .. Enumerable.Repeat(7, 5), .. Enumerable.Repeat(19, 20), 22]);
        float[] mean = first.Zip(second, (x, y) => x + y).ToArray();
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(mean);
        VectorAssert.Close(mean.Select(x => x / norm).ToArray(), vector, 1e-5f);
    }

    [Fact]
    public void CombinedExportGivesTheSameVectorsAsTheSplitOne()
    {
        using var split = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        using var combined = new TinyClipFolder().WithCombinedModel().WithTokenizerJson();
        using var splitClip = new ClipModel(split.Folder, Options);
        using var combinedClip = new ClipModel(combined.Folder, Options);
        using var image = TestImages.Noise(50, 40, 3);
        Image<Rgb24>[] images = [image, image, image];

        VectorAssert.Close(splitClip.ImageEmbedder.Embed(images)[2], combinedClip.ImageEmbedder.Embed(images)[2], 1e-6f);
        VectorAssert.Close(splitClip.TextEmbedder.Embed(["a cat", "photo"])[1], combinedClip.TextEmbedder.Embed(["a cat", "photo"])[1], 1e-6f);
    }

    [Fact]
    public void ConcurrentTextAndImageCallsAreConsistent()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        using var clip = new ClipModel(folder.Folder, Options);
        using var image = TestImages.Noise(64, 48, 9);
        float[] expectedImage = clip.ImageEmbedder.Embed([image])[0];
        float[] expectedText = clip.TextEmbedder.Embed(["a cat photo"])[0];

        Parallel.For(0, 40, i =>
        {
            if (i % 2 == 0)
            {
                VectorAssert.Close(expectedImage, clip.ImageEmbedder.Embed([image])[0], 1e-6f);
            }
            else
            {
                VectorAssert.Close(expectedText, clip.TextEmbedder.Embed(["a cat photo"])[0], 1e-6f);
            }
        });
    }

    [Fact]
    public void SessionsLiveUntilEveryHolderIsDisposed()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        var clip = new ClipModel(folder.Folder, Options);
        IImageEmbedder images = clip.ImageEmbedder;
        ITextEmbedder texts = clip.TextEmbedder;

        clip.Dispose();
        Assert.Single(texts.Embed(["a cat"]));
        texts.Dispose();
        using var image = TestImages.Noise(32, 32, 1);
        Assert.Single(images.Embed([image]));
        images.Dispose();
        Assert.Throws<ObjectDisposedException>(() => images.Embed([image]));
        Assert.Throws<ObjectDisposedException>(() => texts.Embed(["a cat"]));
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "hs-no-clip-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<ClipModelException>(() => new ClipModel(missing));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void MissingTextTowerIsNamed()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        folder.Delete("text_model.onnx");
        var error = Assert.Throws<ClipModelException>(() => new ClipModel(folder.Folder));
        Assert.Contains("text_model.onnx", error.Message);
    }

    [Fact]
    public void MissingModelIsReported()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        var error = Assert.Throws<ClipModelException>(() => new ClipModel(folder.Folder));
        Assert.Contains("model.onnx", error.Message);
    }

    [Fact]
    public void MissingTokenizerIsReported()
    {
        using var folder = new TinyClipFolder().WithSplitModels();
        var error = Assert.Throws<ClipModelException>(() => new ClipModel(folder.Folder));
        Assert.Contains("vocab.json", error.Message);
        Assert.Contains("tokenizer.json", error.Message);
    }

    [Fact]
    public void WrongInputNameIsReportedWithFileAndNames()
    {
        using var folder = new TinyClipFolder().WithSplitModels(pixelInput: "pixels").WithVocabularyAndMerges();
        var error = Assert.Throws<ClipModelException>(() => new ClipModel(folder.Folder));
        Assert.Contains("vision_model.onnx", error.Message);
        Assert.Contains("'pixel_values' is missing", error.Message);
        Assert.Contains("pixels", error.Message);
    }

    [Fact]
    public void CorruptModelFileIsReported()
    {
        using var folder = new TinyClipFolder().WithSplitModels().WithVocabularyAndMerges();
        File.WriteAllText(Path.Combine(folder.Folder, "vision_model.onnx"), "not a model");
        var error = Assert.Throws<ClipModelException>(() => new ClipModel(folder.Folder));
        Assert.Contains("vision_model.onnx", error.Message);
    }

    private static float[] ExpectedImageVector(Rgb24 color)
    {
        float[] channels =
        [
            (color.R / 255f - ClipImagePreprocessor.Mean.R) / ClipImagePreprocessor.StandardDeviation.R,
            (color.G / 255f - ClipImagePreprocessor.Mean.G) / ClipImagePreprocessor.StandardDeviation.G,
            (color.B / 255f - ClipImagePreprocessor.Mean.B) / ClipImagePreprocessor.StandardDeviation.B,
        ];
        return Normalized(Multiply(channels, TinyClipFolder.ImageWeights));
    }

    private static float[] ExpectedTextVector(int[] ids)
    {
        var padded = new float[TinyClipFolder.Context];
        for (int i = 0; i < ids.Length; i++)
        {
            padded[i] = ids[i];
        }

        return Normalized(Multiply(padded, TinyClipFolder.TextWeights));
    }

    private static float[] Multiply(float[] row, float[,] matrix)
    {
        var result = new float[matrix.GetLength(1)];
        for (int j = 0; j < result.Length; j++)
        {
            double sum = 0;
            for (int i = 0; i < row.Length; i++)
            {
                sum += row[i] * matrix[i, j];
            }

            result[j] = (float)sum;
        }

        return result;
    }

    private static float[] Normalized(float[] vector)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        return vector.Select(x => x / norm).ToArray();
    }
}
