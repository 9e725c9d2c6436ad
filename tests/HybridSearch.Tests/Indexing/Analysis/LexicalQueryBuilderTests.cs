using CsCheck;
using HybridSearch.Indexing.Analysis;
using HybridSearch.Querying;
using Lucene.Net.Search;

namespace HybridSearch.Tests.Indexing;

public sealed class LexicalQueryBuilderTests : IDisposable
{
    private readonly EnglishTextAnalyzer _analyzer = TextAnalysisOptions.Default.CreateAnalyzer();

    public void Dispose() => _analyzer.Dispose();

    [Fact]
    public void PlainTextBecomesOneClausePerFieldAndTermWithFieldBoosts()
    {
        var builder = new LexicalQueryBuilder(_analyzer, new Dictionary<string, float> { ["title"] = 2f, ["text"] = 1f });

        var query = Assert.IsType<BooleanQuery>(builder.BuildPlainTextQuery("Treating the patients"));

        Assert.True(query.CoordDisabled);
        Assert.Equal(RepeatedQueryTermWeighting.Linear, builder.RepeatedTermWeighting);
        Assert.All(query.Clauses, c => Assert.Equal(Occur.SHOULD, c.Occur));
        Assert.Equal(
            ["title:treat^2.0", "title:patient^2.0", "text:treat", "text:patient"],
            query.Clauses.Select(c => c.Query.ToString()));
    }

    [Theory]
    [InlineData(RepeatedQueryTermWeighting.Saturated, 1.5f)]
    [InlineData(RepeatedQueryTermWeighting.Linear, 3f)]
    [InlineData(RepeatedQueryTermWeighting.Once, 1f)]
    public void RepeatedTermsAreWeightedAsConfigured(RepeatedQueryTermWeighting weighting, float expected)
    {
        var builder = new LexicalQueryBuilder(_analyzer, new Dictionary<string, float> { ["text"] = 1f }, weighting);

        var query = Assert.IsType<BooleanQuery>(builder.BuildPlainTextQuery("heart, hearts and HEART failure"));

        Assert.Equal(2, query.Clauses.Count);
        Assert.Equal(expected, query.Clauses[0].Query.Boost);
        Assert.Equal(1f, query.Clauses[1].Query.Boost);
    }

    [Fact]
    public void TextWithOnlyStopWordsAndPunctuationGivesAnEmptyQuery()
    {
        var builder = new LexicalQueryBuilder(_analyzer, "text");

        Assert.Empty(Assert.IsType<BooleanQuery>(builder.BuildPlainTextQuery("the (of) && || \"?\" -- ")).Clauses);
        Assert.Empty(Assert.IsType<BooleanQuery>(builder.BuildPlainTextQuery("")).Clauses);
    }

    [Fact]
    public void QuerySyntaxCharactersInPlainTextAreSeparatorsNotOperators()
    {
        var builder = new LexicalQueryBuilder(_analyzer, "text");

        var query = Assert.IsType<BooleanQuery>(builder.BuildPlainTextQuery("title:(heart AND \"valve\"~2)^3 -surgery [a TO z} c++ what?*"));

        Assert.All(query.Clauses, c => Assert.Equal(Occur.SHOULD, c.Occur));
        Assert.Contains("text:heart", query.Clauses.Select(c => c.Query.ToString()));
        Assert.Contains("text:surgeri", query.Clauses.Select(c => c.Query.ToString()));
        Assert.DoesNotContain(query.Clauses, c => c.Query.ToString().Contains("and", StringComparison.Ordinal));
    }

    [Fact]
    public void ArbitraryTextNeverThrows()
    {
        var builder = new LexicalQueryBuilder(_analyzer, "title", "text");
        var syntaxHeavy = Gen.Char["+-&|!(){}[]^\"~*?:\\/ aZ09é'.,"].Array.Select(c => new string(c));

        Gen.OneOf(Gen.String, syntaxHeavy).Sample(text => Assert.NotNull(builder.BuildPlainTextQuery(text)), iter: 2000);
    }

    [Fact]
    public void LongQueriesNestBeyondMaxClauseCountAndKeepEveryTerm()
    {
        var words = Enumerable.Range(0, BooleanQuery.MaxClauseCount + 200).Select(i => $"w{i}x").ToList();
        var builder = new LexicalQueryBuilder(_analyzer, "text");

        var query = Assert.IsType<BooleanQuery>(builder.BuildPlainTextQuery(string.Join(' ', words)));

        Assert.All(query.Clauses, c => Assert.True(((BooleanQuery)c.Query).Clauses.Count <= BooleanQuery.MaxClauseCount));
        var leaves = query.Clauses.SelectMany(c => ((BooleanQuery)c.Query).Clauses).Select(c => ((TermQuery)c.Query).Term.Text).ToList();
        Assert.Equal(words, leaves);
    }

    [Fact]
    public void UserSyntaxIsParsedOverAllFieldsWithBoosts()
    {
        var builder = new LexicalQueryBuilder(_analyzer, new Dictionary<string, float> { ["title"] = 2f, ["text"] = 1f });

        var query = builder.ParseUserQuery("title:Patients AND \"heart valves\" -surgery");

        Assert.Equal("+title:patient +(title:\"heart valv\"^2.0 text:\"heart valv\") -(title:surgeri^2.0 text:surgeri)", query.ToString());
    }

    [Theory]
    [InlineData("heart AND", 9)]
    [InlineData("title:(heart valve", 18)]
    [InlineData("heart ) valve", 6)]
    [InlineData("heart^ valve", 7)] // "^" wants a number; "valve" is where that fails
    public void UserSyntaxErrorsNameTheQueryAndPosition(string text, int position)
    {
        var builder = new LexicalQueryBuilder(_analyzer, "text");

        var error = Assert.Throws<LexicalQuerySyntaxException>(() => builder.ParseUserQuery(text));

        Assert.Equal(text, error.Query);
        Assert.Equal(position, error.Position);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Contains($"position {position}", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void UnterminatedPhraseIsALexicalErrorWithAPosition()
    {
        var builder = new LexicalQueryBuilder(_analyzer, "text");

        var error = Assert.Throws<LexicalQuerySyntaxException>(() => builder.ParseUserQuery("heart \"valve"));

        Assert.Equal("heart \"valve", error.Query);
        Assert.Equal(12, error.Position); // the phrase runs into the end of the query
    }

    [Fact]
    public void InvalidConstructionIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new LexicalQueryBuilder(_analyzer, Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => new LexicalQueryBuilder(_analyzer, "text", "text"));
        Assert.Throws<ArgumentException>(() => new LexicalQueryBuilder(_analyzer, new Dictionary<string, float> { ["text"] = 0f }));
        Assert.Throws<ArgumentException>(() => new LexicalQueryBuilder(_analyzer, new Dictionary<string, float> { ["text"] = float.NaN }));
        Assert.Throws<ArgumentNullException>(() => new LexicalQueryBuilder(null!, "text"));
        Assert.Throws<ArgumentNullException>(() => new LexicalQueryBuilder(_analyzer, "text").BuildPlainTextQuery(null!));
        Assert.Throws<ArgumentNullException>(() => new LexicalQueryBuilder(_analyzer, "text").ParseUserQuery(null!));
    }
}
