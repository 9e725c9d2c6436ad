using HybridSearch.Indexing.Analysis;

namespace HybridSearch.Tests.Indexing;

public sealed class EnglishTextAnalyzerTests
{
    [Fact]
    public void DefaultLowerCasesDropsSnowballStopWordsAndPossessivesAndStemsWithPorter2()
    {
        using var analyzer = TextAnalysisOptions.Default.CreateAnalyzer();

        Assert.Equal(TextStemmer.Porter2, TextAnalysisOptions.Default.Stemmer);
        Assert.Equal(StopWordList.SnowballEnglish, TextAnalysisOptions.Default.StopWords);
        Assert.Equal(
            ["patient", "run", "queri", "general", "hospit"],
            AnalyzerTokens.Of(analyzer, "What are the Patient's RUNNING queries, and which generalizations of hospitals"));
    }

    [Fact]
    public void StandardKeepsWordsUnstemmed()
    {
        using var analyzer = TextAnalysisOptions.Standard.CreateAnalyzer();

        Assert.Equal(["patient", "running", "queries"], AnalyzerTokens.Of(analyzer, "the patient's running queries"));
    }

    [Theory]
    [InlineData(TextStemmer.None, "generalizations", "generalizations")]
    [InlineData(TextStemmer.Porter, "generalizations", "gener")]
    [InlineData(TextStemmer.Porter2, "generalizations", "general")]
    [InlineData(TextStemmer.Krovetz, "generalizations", "generalization")]
    [InlineData(TextStemmer.Minimal, "generalizations", "generalization")]
    [InlineData(TextStemmer.Minimal, "running", "running")]
    [InlineData(TextStemmer.Porter2, "queries", "queri")]
    [InlineData(TextStemmer.Krovetz, "queries", "query")]
    public void EachStemmerProducesItsStem(TextStemmer stemmer, string word, string expected)
    {
        using var analyzer = (TextAnalysisOptions.Default with { Stemmer = stemmer }).CreateAnalyzer();

        Assert.Equal([expected], AnalyzerTokens.Of(analyzer, word));
    }

    [Theory]
    [InlineData(StopWordList.English, new[] { "which", "patients" })]
    [InlineData(StopWordList.SnowballEnglish, new[] { "patients" })]
    [InlineData(StopWordList.None, new[] { "the", "which", "patients" })]
    public void StopWordListsDropTheirWords(StopWordList list, string[] expected)
    {
        using var analyzer = (TextAnalysisOptions.Standard with { StopWords = list }).CreateAnalyzer();

        Assert.Equal(expected, AnalyzerTokens.Of(analyzer, "The which patients"));
    }

    [Fact]
    public void CustomStopWordsReplaceTheListAndIgnoreCase()
    {
        var options = TextAnalysisOptions.Standard.WithCustomStopWords(["Patients", "study"]);
        using var analyzer = options.CreateAnalyzer();

        Assert.Equal(StopWordList.Custom, options.StopWords);
        Assert.Equal(["the", "of", "blood"], AnalyzerTokens.Of(analyzer, "the STUDY of patients blood"));
    }

    [Fact]
    public void StopWordsAreMatchedBeforeStemming()
    {
        // "this" would stem to "thi" under Porter; it must still be recognised as a stop word.
        using var analyzer = (TextAnalysisOptions.Default with { Stemmer = TextStemmer.Porter }).CreateAnalyzer();

        Assert.Equal(["studi"], AnalyzerTokens.Of(analyzer, "this study"));
    }

    [Fact]
    public void InvalidOptionsAreRejectedWhenSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextAnalysisOptions.Default with { Stemmer = (TextStemmer)42 });
        Assert.Throws<ArgumentOutOfRangeException>(() => TextAnalysisOptions.Default with { StopWords = (StopWordList)42 });
        Assert.Throws<ArgumentException>(() => TextAnalysisOptions.Default.WithCustomStopWords(["ok", " "]));
        Assert.Throws<ArgumentNullException>(() => TextAnalysisOptions.Default.WithCustomStopWords(null!));
        Assert.Throws<ArgumentNullException>(() => new HybridSearch.Indexing.Analysis.EnglishTextAnalyzer(null!));
    }

    [Fact]
    public void CustomStopWordsAreCopiedSoLaterChangesDoNotLeakIn()
    {
        var words = new List<string> { "blood" };
        var options = TextAnalysisOptions.Standard with { StopWords = StopWordList.Custom, CustomStopWords = words };
        words.Add("pressure");

        using var analyzer = options.CreateAnalyzer();
        Assert.Equal(["pressure"], AnalyzerTokens.Of(analyzer, "blood pressure"));
    }
}
