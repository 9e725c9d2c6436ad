using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace HybridSearch.Indexing.Analysis;

/// <summary>
/// The lexical leg's Lucene analyzer: <c>StandardTokenizer</c> (Unicode word breaks) → <c>EnglishPossessiveFilter</c>
/// ("patient's" → "patient") → <c>LowerCaseFilter</c> → <c>StopFilter</c> → the configured stemmer. Every field gets
/// the same chain, so the analyzer serves title, body and caption fields alike, at index and query time.
/// </summary>
/// <remarks>Build it with <see cref="TextAnalysisOptions.CreateAnalyzer"/>. Thread-safe: Lucene keeps one token chain per thread.</remarks>
public sealed class EnglishTextAnalyzer : Analyzer
{
    /// <summary>The Lucene compatibility version of every component.</summary>
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private const string SnowballEnglishStopResource = "Lucene.Net.Analysis.Common.Analysis.Snowball.english_stop.txt";

    private readonly CharArraySet? _stopWords;

    /// <summary>Creates the analyzer for <paramref name="options"/>; prefer <see cref="TextAnalysisOptions.CreateAnalyzer"/>.</summary>
    /// <param name="options">The analysis settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public EnglishTextAnalyzer(TextAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _stopWords = LoadStopWords(options);
    }

    /// <summary>The settings this analyzer was built from.</summary>
    public TextAnalysisOptions Options { get; }

    /// <summary>Builds the token chain for one field; called by Lucene once per thread and field.</summary>
    /// <param name="fieldName">The field being analyzed (every field is analyzed alike).</param>
    /// <param name="reader">The text.</param>
    /// <returns>The tokenizer and the end of the filter chain.</returns>
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream chain = new EnglishPossessiveFilter(Version, source);
        chain = new LowerCaseFilter(Version, chain);
        if (_stopWords is not null)
        {
            chain = new StopFilter(Version, chain, _stopWords);
        }

        chain = Options.Stemmer switch
        {
            TextStemmer.None => chain,
            TextStemmer.Porter => new PorterStemFilter(chain),
            TextStemmer.Porter2 => new SnowballFilter(chain, new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer()),
            TextStemmer.Krovetz => new KStemFilter(chain),
            TextStemmer.Minimal => new EnglishMinimalStemFilter(chain),
            _ => throw new InvalidOperationException($"Unknown stemmer {Options.Stemmer}."),
        };
        return new TokenStreamComponents(source, chain);
    }

    private static CharArraySet? LoadStopWords(TextAnalysisOptions options)
    {
        switch (options.StopWords)
        {
            case StopWordList.None:
                return null;
            case StopWordList.English:
                return StopAnalyzer.ENGLISH_STOP_WORDS_SET;
            case StopWordList.SnowballEnglish:
                using (var stream = typeof(SnowballFilter).Assembly.GetManifestResourceStream(SnowballEnglishStopResource)
                    ?? throw new InvalidOperationException($"Lucene.Net.Analysis.Common lacks its resource '{SnowballEnglishStopResource}'."))
                using (var text = new StreamReader(stream))
                {
                    return WordlistLoader.GetSnowballWordSet(text, Version).AsReadOnly();
                }

            case StopWordList.Custom:
                return options.CustomStopWords.Count == 0
                    ? null
                    : new CharArraySet(Version, options.CustomStopWords, ignoreCase: true).AsReadOnly();
            default:
                throw new InvalidOperationException($"Unknown stop-word list {options.StopWords}.");
        }
    }
}
