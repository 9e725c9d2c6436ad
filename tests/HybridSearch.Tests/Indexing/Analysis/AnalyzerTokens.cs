using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace HybridSearch.Tests.Indexing;

/// <summary>Runs an analyzer over text and collects the terms it emits.</summary>
internal static class AnalyzerTokens
{
    public static List<string> Of(Analyzer analyzer, string text, string field = "text")
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}
