using System.Net;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using Lucene.Net.Analysis;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;

namespace HybridSearch.Querying;

/// <summary>Builds a hit's snippet with Lucene's highlighter from the text that matched best: the lexical leg's
/// document (record text or title, or an image caption), else the transcript segment, else the semantic leg's chunk
/// (or caption), else the start of the record's text.</summary>
internal static class SnippetBuilder
{
    private const int FragmentChars = 120;
    private const int MaxFragments = 2;
    private const int PlainChars = 200;

    public static string? Build(IndexSearcher searcher, FusedHit hit, Dictionary<SearchLeg, LegOutcome> byLeg, Query? query, Analyzer analyzer, string title, string text)
    {
        if (Matched(SearchLeg.Lexical) is { } lexical)
        {
            if (lexical.Kind == DocumentKind.Image)
            {
                var caption = searcher.Doc(lexical.Doc).Get(IndexFieldNames.Caption);
                return Highlight(query, analyzer, IndexFieldNames.Caption, caption);
            }

            return Highlight(query, analyzer, IndexFieldNames.Text, text, requireMatch: true)
                ?? Highlight(query, analyzer, IndexFieldNames.Title, title, requireMatch: true)
                ?? Plain(text.Length > 0 ? text : title);
        }

        if (Matched(SearchLeg.Transcript) is { } segment)
        {
            return Highlight(query, analyzer, IndexFieldNames.Transcript, searcher.Doc(segment.Doc).Get(IndexFieldNames.Transcript));
        }

        if (Matched(SearchLeg.SemanticText) is { } chunk)
        {
            var doc = searcher.Doc(chunk.Doc);
            if (chunk.Kind == DocumentKind.Image)
            {
                // The semantic leg matched an image by its caption's meaning.
                return Highlight(query, analyzer, IndexFieldNames.Caption, doc.Get(IndexFieldNames.Caption));
            }

            var source = title.Length == 0 ? text : text.Length == 0 ? title : title + "\n" + text;
            var start = doc.GetField(IndexFieldNames.ChunkStart)?.GetInt32Value() ?? 0;
            var end = doc.GetField(IndexFieldNames.ChunkEnd)?.GetInt32Value() ?? source.Length;
            start = Math.Clamp(start, 0, source.Length);
            end = Math.Clamp(end, start, source.Length);
            return Highlight(query, analyzer, IndexFieldNames.Text, source[start..end]);
        }

        return Plain(text.Length > 0 ? text : title);

        LegCandidate? Matched(SearchLeg leg) =>
            // A leg that abstained on the record matched none of its text.
            hit.Legs.TryGetValue(SearchLegNames.Of(leg), out var contribution) && !contribution.Abstained && byLeg.TryGetValue(leg, out var outcome) ? outcome[hit.Key] : null;
    }

    /// <summary>The best fragments with query terms marked, or (unless <paramref name="requireMatch"/>) the start of
    /// the text when no term occurs in it.</summary>
    private static string? Highlight(Query? query, Analyzer analyzer, string field, string? text, bool requireMatch = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (query is not null)
        {
            // A field-less scorer: terms of any field count, since titles, texts, captions and transcripts share the analyzer.
            var scorer = new QueryScorer(query);
            var highlighter = new Highlighter(new SimpleHTMLFormatter("<b>", "</b>"), new SimpleHTMLEncoder(), scorer)
            {
                TextFragmenter = new SimpleSpanFragmenter(scorer, FragmentChars),
            };
            using var tokens = analyzer.GetTokenStream(field, text);
            var fragments = highlighter.GetBestFragments(tokens, text, MaxFragments, " … ");
            if (!string.IsNullOrWhiteSpace(fragments))
            {
                return fragments.Trim();
            }
        }

        return requireMatch ? null : Plain(text);
    }

    private static string? Plain(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length <= PlainChars)
        {
            return WebUtility.HtmlEncode(text);
        }

        var cut = text.LastIndexOf(' ', PlainChars);
        return WebUtility.HtmlEncode(text[..(cut > PlainChars / 2 ? cut : PlainChars)]) + " …";
    }
}
