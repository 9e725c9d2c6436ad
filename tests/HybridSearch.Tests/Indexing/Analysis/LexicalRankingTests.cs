using HybridSearch.Indexing.Analysis;
using HybridSearch.Querying;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Tests.Indexing;

/// <summary>Indexes a tiny corpus into an FSDirectory with the analysis and BM25 defaults and checks the rankings.</summary>
public sealed class LexicalRankingTests : IDisposable
{
    private static readonly (string Id, string Title, string Text)[] Corpus =
    [
        ("valves", "Heart valve replacement", "Surgeons replaced the damaged aortic valves of elderly patients."),
        ("pressure", "Blood pressure in children", "Hypertension was measured in children at school; pressure rose with weight."),
        ("diet", "Diet and weight", "A diet low in salt lowered weight and blood pressure in adults over a long study of many years and many visits."),
        ("library", "Dewey classification", "The Dewey Decimal Classification organises library catalogues by subject."),
        ("wings", "Aeroelastic wings", "Flutter of heated wings at high speed was studied in a wind tunnel."),
        ("valve-mention", "Annual report", "The hospital's report mentions a heart valve once among many other topics, staffing and buildings."),
        ("budget-text", "Staffing", "Budget, budget and budget plans."),
        ("budget-title", "Budget", "Plans for new staffing levels."),
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StemmedQueryFindsInflectedFormsAndRanksTheFocusedDocumentFirst()
    {
        var ids = Search(TextAnalysisOptions.Default, "replacing heart valves", "title", "text");

        Assert.Equal(["valves", "valve-mention"], ids);
    }

    [Fact]
    public void WithoutStemmingInflectedFormsDoNotMatch()
    {
        var stemmed = Search(TextAnalysisOptions.Default, "measuring hypertensions", "title", "text");
        var unstemmed = Search(TextAnalysisOptions.Standard, "measuring hypertensions", "title", "text");

        Assert.Equal(["pressure"], stemmed);
        Assert.Empty(unstemmed);
    }

    [Fact]
    public void ShorterDocumentWinsWhenTermCountsAreEqual()
    {
        // "pressure" occurs once in the text of both; the "diet" text is twice as long.
        var ids = Search(TextAnalysisOptions.Default, "pressure", "text");

        Assert.Equal(["pressure", "diet"], ids);
    }

    [Fact]
    public void FieldBoostLiftsTitleMatches()
    {
        // Unboosted, three "budget"s in a short text beat one in a title; a title boost of 5 reverses that.
        var unboosted = Search(TextAnalysisOptions.Default, "budget", new Dictionary<string, float> { ["title"] = 1f, ["text"] = 1f });
        var titleBoosted = Search(TextAnalysisOptions.Default, "budget", new Dictionary<string, float> { ["title"] = 5f, ["text"] = 1f });

        Assert.Equal(["budget-text", "budget-title"], unboosted);
        Assert.Equal(["budget-title", "budget-text"], titleBoosted);
    }

    [Fact]
    public void PunctuationHeavyPlainTextSearchesLikeItsWords()
    {
        var plain = Search(TextAnalysisOptions.Default, "Dewey's (library) classification?! -- title:[a TO z]", "title", "text");

        Assert.Equal("library", plain[0]);
    }

    [Fact]
    public void UserSyntaxQueryRunsAgainstTheIndex()
    {
        using var analyzer = TextAnalysisOptions.Default.CreateAnalyzer();
        using var directory = BuildIndex(analyzer);
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = Bm25Options.Default.CreateSimilarity() };
        var builder = new LexicalQueryBuilder(analyzer, "title", "text");

        var hits = searcher.Search(builder.ParseUserQuery("heart AND valves -title:report"), 10).ScoreDocs;

        Assert.Equal(["valves"], hits.Select(h => searcher.Doc(h.Doc).Get("id")));
    }

    private List<string> Search(TextAnalysisOptions options, string text, params string[] fields) =>
        Search(options, text, fields.ToDictionary(f => f, _ => 1f));

    private List<string> Search(TextAnalysisOptions options, string text, Dictionary<string, float> fields)
    {
        using var analyzer = options.CreateAnalyzer();
        using var directory = BuildIndex(analyzer);
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = Bm25Options.Default.CreateSimilarity() };
        var query = new LexicalQueryBuilder(analyzer, fields).BuildPlainTextQuery(text);
        return [.. searcher.Search(query, 10).ScoreDocs.Select(h => searcher.Doc(h.Doc).Get("id"))];
    }

    private FSDirectory BuildIndex(Analyzer analyzer)
    {
        var directory = FSDirectory.Open(_temp.Combine(Guid.NewGuid().ToString("N")));
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = Bm25Options.Default.CreateSimilarity() };
        using var writer = new IndexWriter(directory, config);
        foreach (var (id, title, text) in Corpus)
        {
            writer.AddDocument(new Document
            {
                new StringField("id", id, Field.Store.YES),
                new TextField("title", title, Field.Store.NO),
                new TextField("text", text, Field.Store.NO),
            });
        }

        writer.Commit();
        return directory;
    }
}
