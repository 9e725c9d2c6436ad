using HybridSearch.Embedding;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Embedding;

public class ImagePreprocessorTests
{
    [Fact]
    public void ResNetTensorIsPlanarRgbOnTheByteScale()
    {
        using var image = TestImages.Filled(400, 300, new Rgb24(10, 128, 250));
        var tensor = new float[ResNetImagePreprocessor.TensorLength];

        ResNetImagePreprocessor.WriteTensor(image, tensor);

        const int plane = 224 * 224;
        Assert.All(tensor[..plane], value => Assert.Equal(10f, value, 1e-3f));
        Assert.All(tensor[plane..(2 * plane)], value => Assert.Equal(128f, value, 1e-3f));
        Assert.All(tensor[(2 * plane)..], value => Assert.Equal(250f, value, 1e-3f));
    }

    [Fact]
    public void ResNetCenterCropKeepsTheMiddleAndStretchKeepsTheEdges()
    {
        // 448 x 224: left quarter red, middle half green, right quarter blue.
        using var image = TestImages.Filled(448, 224, new Rgb24(0, 255, 0));
        for (int y = 0; y < 224; y++)
        {
            for (int x = 0; x < 112; x++)
            {
                image[x, y] = new Rgb24(255, 0, 0);
                image[447 - x, y] = new Rgb24(0, 0, 255);
            }
        }

        var cropped = new float[ResNetImagePreprocessor.TensorLength];
        var stretched = new float[ResNetImagePreprocessor.TensorLength];
        ResNetImagePreprocessor.WriteTensor(image, cropped, ImageFit.CenterCrop);
        ResNetImagePreprocessor.WriteTensor(image, stretched, ImageFit.Stretch);

        const int plane = 224 * 224;
        int leftPixel = 100 * 224 + 2;
        Assert.Equal(255f, cropped[plane + leftPixel], 1f);  // green: the crop is the middle half
        Assert.Equal(0f, cropped[leftPixel], 1f);
        Assert.Equal(255f, stretched[leftPixel], 1f);        // red: stretching keeps the left quarter
    }

    [Fact]
    public void ClipTensorIsNormalisedWithClipMeanAndStd()
    {
        using var image = TestImages.Filled(300, 500, new Rgb24(255, 0, 128));
        var tensor = new float[3 * 224 * 224];

        ClipImagePreprocessor.WriteTensor(image, tensor);

        const int plane = 224 * 224;
        Assert.Equal((1f - 0.48145466f) / 0.26862954f, tensor[0], 1e-4f);
        Assert.Equal((0f - 0.4578275f) / 0.26130258f, tensor[plane + 5000], 1e-4f);
        Assert.Equal((128f / 255f - 0.40821073f) / 0.27577711f, tensor[3 * plane - 1], 1e-4f);
    }

    [Fact]
    public void ClipCropsTheCentreSquareAfterResizingTheShortSide()
    {
        // 224 x 448 portrait: top quarter red, bottom quarter blue, centre white. The crop must be all white.
        using var image = TestImages.Filled(224, 448, new Rgb24(255, 255, 255));
        for (int x = 0; x < 224; x++)
        {
            for (int y = 0; y < 100; y++)
            {
                image[x, y] = new Rgb24(255, 0, 0);
                image[x, 447 - y] = new Rgb24(0, 0, 255);
            }
        }

        var tensor = new float[3 * 224 * 224];
        ClipImagePreprocessor.WriteTensor(image, tensor);

        float white = (1f - 0.4578275f) / 0.26130258f;
        const int plane = 224 * 224;
        Assert.Equal(white, tensor[plane], 1e-3f);                 // green channel, top-left of the crop
        Assert.Equal(white, tensor[2 * plane - 1], 1e-3f);         // green channel, bottom-right of the crop
    }

    [Fact]
    public void TooSmallDestinationIsRejected()
    {
        using var image = TestImages.Filled(10, 10, new Rgb24(1, 2, 3));
        Assert.Throws<ArgumentException>(() => ResNetImagePreprocessor.WriteTensor(image, new float[100]));
        Assert.Throws<ArgumentException>(() => ClipImagePreprocessor.WriteTensor(image, new float[100]));
    }
}
