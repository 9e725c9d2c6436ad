using HybridSearch.Embedding;

namespace HybridSearch.Tests.Embedding;

public class AccentFoldingTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("naïve café ÜBER-cool", "naive cafe UBER-cool")]
    [InlineData("Ångström Łódź Ærø", "Angstrom Łodz Ærø")] // Ł and Æ have no canonical decomposition
    [InlineData("e\u0301te\u0301", "ete")]                 // combining acute accents
    [InlineData("Ελλάδα ё", "Ελλαδα е")]
    [InlineData("東京", "東京")]
    public void StripsNonspacingMarksAfterCanonicalDecomposition(string input, string expected) =>
        Assert.Equal(expected, AccentFolding.Strip(input));

    [Fact]
    public void HangulSyllablesDecomposeToJamo()
    {
        Assert.Equal("\u1112\u1161\u11AB", AccentFolding.Strip("한")); // with a trailing consonant
        Assert.Equal("\u1100\u1161", AccentFolding.Strip("가"));       // without
    }
}
