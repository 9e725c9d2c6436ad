using HybridSearch.Embedding;

namespace HybridSearch.Tests.Embedding;

public class ClipTokenizerTests
{
    private const int Start = 21, End = 22;

    private static ClipTokenizer Load(TinyClipFolder folder) =>
        ClipTokenizer.FromVocabularyAndMerges(Path.Combine(folder.Folder, "vocab.json"), Path.Combine(folder.Folder, "merges.txt"));

    [Fact]
    public void AppliesMergesWithEndOfWordMarkers()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        ClipTokenizer tokenizer = Load(folder);

        // a</w>=7, cat</w>=15, photo</w>=19, !!</w>=20; "tac" has no merge: t=2, a=0, c</w>=8.
        Assert.Equal([Start, 7, 15, 19, 20, End], tokenizer.EncodeToIds("A  CAT\tphoto!!"));
        Assert.Equal([2, 0, 8], tokenizer.EncodeTokens("tac"));
        Assert.Equal(Start, tokenizer.StartOfTextId);
        Assert.Equal(End, tokenizer.EndOfTextId);
    }

    [Fact]
    public void TokenizerJsonGivesTheSameIds()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges().WithTokenizerJson();
        ClipTokenizer fromJson = ClipTokenizer.FromTokenizerJson(Path.Combine(folder.Folder, "tokenizer.json"));
        Assert.Equal(Load(folder).EncodeToIds("a cat photo!! tac"), fromJson.EncodeToIds("a cat photo!! tac"));
    }

    [Fact]
    public void TruncationKeepsTheEndToken()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        int[] ids = Load(folder).EncodeToIds(string.Join(' ', Enumerable.Repeat("cat", 100)));
        Assert.Equal(77, ids.Length);
        Assert.Equal(Start, ids[0]);
        Assert.Equal(End, ids[^1]);
        Assert.All(ids[1..^1], id => Assert.Equal(15, id));
    }

    [Fact]
    public void SpecialTokensInTextAreKept()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        Assert.Equal([15, End, 15], Load(folder).EncodeTokens("cat<|endoftext|>cat"));
    }

    [Theory]
    [InlineData("  A&amp;amp;B \n\n c ", "a&b c")]
    [InlineData("Hello\u00a0 World", "hello world")]
    public void CleanUnescapesCollapsesAndLowerCases(string input, string expected) =>
        Assert.Equal(expected, ClipTokenizer.Clean(input));

    [Fact]
    public void MalformedMergeLineIsReportedWithItsLine()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        File.WriteAllLines(Path.Combine(folder.Folder, "merges.txt"), ["#version: 0.2", "c a", "broken"]);
        var error = Assert.Throws<ClipModelException>(() => Load(folder));
        Assert.Contains("merges.txt, line 3", error.Message);
    }

    [Fact]
    public void VocabularyWithoutSpecialTokensIsRejected()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        File.WriteAllText(Path.Combine(folder.Folder, "vocab.json"), """{"a": 0, "a</w>": 1}""");
        var error = Assert.Throws<ClipModelException>(() => Load(folder));
        Assert.Contains("<|startoftext|>", error.Message);
    }

    [Fact]
    public void ConcurrentEncodingIsConsistent()
    {
        using var folder = new TinyClipFolder().WithVocabularyAndMerges();
        ClipTokenizer tokenizer = Load(folder);
        string[] texts = ["a cat", "photo!!", "tac cat photo", "cat cat a"];
        int[][] expected = texts.Select(text => tokenizer.EncodeToIds(text)).ToArray();
        Parallel.For(0, 400, i => Assert.Equal(expected[i % 4], tokenizer.EncodeToIds(texts[i % 4])));
    }
}
