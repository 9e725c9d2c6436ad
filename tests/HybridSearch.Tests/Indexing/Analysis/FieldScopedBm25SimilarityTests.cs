using HybridSearch.Indexing.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Tests.Indexing.Analysis;

public sealed class FieldScopedBm25SimilarityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void DocumentsWithoutTheFieldDoNotShrinkItsAverageLengthOrInflateIdf()
    {
        var analyzer = TextAnalysisOptions.Standard.CreateAnalyzer();
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = new IndexWriter(dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = Bm25Options.Default.CreateSimilarity() }))
        {
            // Two documents with the text field (4 words each) and eight children without it, as in a HybridSearch index.
            writer.AddDocument(new Document { new TextField("t", "alpha beta gamma delta", Field.Store.NO) });
            writer.AddDocument(new Document { new TextField("t", "alpha epsilon zeta eta", Field.Store.NO) });
            for (var i = 0; i < 8; i++)
            {
                writer.AddDocument(new Document { new StringField("kind", "child", Field.Store.NO) });
            }
        }

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader) { Similarity = Bm25Options.Default.CreateSimilarity() };
        var explanation = searcher.Explain(new TermQuery(new Term("t", "beta")), 0).ToString();

        // Average length over the 2 documents that have the field (4), not over all 10 (0.8); idf over 2 documents.
        Assert.Contains("4 = avgFieldLength", explanation, StringComparison.Ordinal);
        Assert.Contains("docCount=2", explanation, StringComparison.Ordinal);
        // A document of average length with tf 1 gets tfNorm 1: score = idf = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)).
        var score = searcher.Search(new TermQuery(new Term("t", "beta")), 1).ScoreDocs[0].Score;
        Assert.Equal(Math.Log(2), score, 2);
    }
}
