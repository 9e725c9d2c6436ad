using HybridSearch.Embedding;

namespace HybridSearch.Tests.Embedding;

public class EmbedderOptionsTests
{
    [Fact]
    public void MiniLMOptionsRejectEachOutOfRangeSettingWhenSetNamingIt()
    {
        var options = new MiniLMTextEmbedderOptions();

        Assert.Equal("IntraOpThreads", Assert.Throws<ArgumentOutOfRangeException>(() => options with { IntraOpThreads = -1 }).ParamName);
        Assert.Equal("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => options with { MaxBatchSize = 0 }).ParamName);
        Assert.Equal("MaxTokensPerChunk", Assert.Throws<ArgumentOutOfRangeException>(() => options with { MaxTokensPerChunk = 7 }).ParamName);
        Assert.Equal("MaxTokensPerChunk", Assert.Throws<ArgumentOutOfRangeException>(() => options with { MaxTokensPerChunk = MiniLMTextEmbedderOptions.MaxWindowTokens + 1 }).ParamName);
        Assert.Equal("ChunkOverlapTokens", Assert.Throws<ArgumentOutOfRangeException>(() => options with { ChunkOverlapTokens = -1 }).ParamName);
        Assert.Equal(MiniLMTextEmbedderOptions.MaxWindowTokens, (options with { MaxTokensPerChunk = MiniLMTextEmbedderOptions.MaxWindowTokens }).MaxTokensPerChunk);
    }

    [Fact]
    public void ResNet18OptionsRejectEachOutOfRangeSettingWhenSetNamingIt()
    {
        Assert.Equal("IntraOpThreads", Assert.Throws<ArgumentOutOfRangeException>(() => new ResNet18ImageEmbedderOptions { IntraOpThreads = -1 }).ParamName);
        Assert.Equal("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ResNet18ImageEmbedderOptions { MaxBatchSize = 0 }).ParamName);
        Assert.Equal("Fit", Assert.Throws<ArgumentOutOfRangeException>(() => new ResNet18ImageEmbedderOptions { Fit = (ImageFit)9 }).ParamName);
    }

    [Fact]
    public void ClipOptionsRejectEachOutOfRangeSettingWhenSetNamingIt()
    {
        Assert.Equal("IntraOpThreads", Assert.Throws<ArgumentOutOfRangeException>(() => new ClipModelOptions { IntraOpThreads = -1 }).ParamName);
        Assert.Equal("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ClipModelOptions { MaxBatchSize = 0 }).ParamName);
        Assert.Equal(1, new ClipModelOptions { MaxBatchSize = 1 }.MaxBatchSize);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var miniLm = new MiniLMTextEmbedderOptions();
        Assert.Equal((0, 32, 256, 32), (miniLm.IntraOpThreads, miniLm.MaxBatchSize, miniLm.MaxTokensPerChunk, miniLm.ChunkOverlapTokens));
        var resNet = new ResNet18ImageEmbedderOptions();
        Assert.Equal((0, 16, ImageFit.CenterCrop), (resNet.IntraOpThreads, resNet.MaxBatchSize, resNet.Fit));
        Assert.Null(resNet.ModelDirectory);
        var clip = new ClipModelOptions();
        Assert.Equal((0, 16), (clip.IntraOpThreads, clip.MaxBatchSize));
    }
}
