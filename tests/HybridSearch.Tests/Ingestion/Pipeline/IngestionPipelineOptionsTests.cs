using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Pipeline;

namespace HybridSearch.Tests.Ingestion.Pipeline;

public class IngestionPipelineOptionsTests
{
    private static readonly IngestionPipelineOptions Defaults = IngestionPipelineOptions.Default;

    public static TheoryData<string, Func<object>> InvalidSettings => new()
    {
        { "CommitEvery", () => Defaults with { CommitEvery = 0 } },
        { "BatchSize", () => Defaults with { BatchSize = -1 } },
        { "DegreeOfParallelism", () => new IngestionPipelineOptions { DegreeOfParallelism = 0 } },
        { "ImageDecoding", () => Defaults with { ImageDecoding = null! } },
        { "Dicom", () => Defaults with { Dicom = null! } },
        { "AudioDecoding", () => Defaults with { AudioDecoding = null! } },
        { "MaxPixels", () => Defaults with { ImageDecoding = Defaults.ImageDecoding with { MaxPixels = 0 } } },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void EveryInvalidSettingThrowsWhenSetNamingTheOption(string option, Func<object> make) =>
        OptionsAssert.RejectsNaming(option, make);

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = new IngestionPipelineOptions();

        Assert.Equal(500, options.CommitEvery);
        Assert.Equal(32, options.BatchSize);
        Assert.Equal(Environment.ProcessorCount, options.DegreeOfParallelism);
        Assert.True(options.EmbedText);
        Assert.Null(options.ImageEmbedder);
        Assert.Null(options.TextEmbedder);
        Assert.Null(options.ClipImageEmbedder);
        Assert.Null(options.Transcriber);
        Assert.Same(ImageDecodeOptions.Default, options.ImageDecoding);
        Assert.Same(AudioDecodeOptions.Default, options.AudioDecoding);
    }

    [Fact]
    public void ShorthandsSetTheirSettingsTogether()
    {
        var without = Defaults with { CommitEvery = 7 };
        without = without.WithoutTextEmbedding();

        Assert.False(without.EmbedText);
        Assert.Null(without.TextEmbedder);
        Assert.Equal(7, without.CommitEvery);
    }
}
