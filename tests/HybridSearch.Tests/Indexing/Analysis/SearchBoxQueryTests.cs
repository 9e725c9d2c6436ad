using HybridSearch.Indexing.Analysis;
using HybridSearch.Querying;
using Lucene.Net.Search;

namespace HybridSearch.Tests.Indexing.Analysis;

public sealed class SearchBoxQueryTests
{
    [Theory]
    [InlineData("what is co-operation?", false)]
    [InlineData("Help! cats & dogs / birds", false)]
    [InlineData("title:lighthouse", true)]
    [InlineData("\"fresnel lens\"", true)]
    [InlineData("lens -glass", true)]
    [InlineData("+lens glass", true)]
    [InlineData("lens AND glass", true)]
    [InlineData("lens and glass", false)]
    [InlineData("light*", true)]
    public void QuerySyntaxIsRecognisedOnlyWhereItIsMeant(string text, bool expected) =>
        Assert.Equal(expected, LexicalQueryBuilder.LooksLikeQuerySyntax(text));

    [Fact]
    public void SearchBoxQueriesParseSyntaxAndFallBackToPlainWords()
    {
        var builder = new LexicalQueryBuilder(TextAnalysisOptions.Default.CreateAnalyzer(), "text");

        // A question mark stays punctuation: no wildcard query.
        Assert.DoesNotContain("?", builder.BuildSearchBoxQuery("which lenses focus light?").ToString(), StringComparison.Ordinal);
        // Real syntax is honoured: a required and a prohibited clause.
        var parsed = Assert.IsType<BooleanQuery>(builder.BuildSearchBoxQuery("+lens -glass"));
        Assert.Equal([Occur.MUST, Occur.MUST_NOT], parsed.Clauses.Select(c => c.Occur));
        // Broken syntax (an unterminated phrase) is searched as words instead of failing.
        Assert.Contains("text:len", builder.BuildSearchBoxQuery("\"fresnel lens").ToString(), StringComparison.Ordinal);
    }
}
