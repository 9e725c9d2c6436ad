namespace HybridSearch.Tests;

public class SmokeTests
{
    [Fact]
    public void LuceneLoads() => Assert.NotNull(Lucene.Net.Codecs.Codec.Default);
}
