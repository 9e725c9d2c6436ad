namespace HybridSearch.Indexing.Analysis;

/// <summary>
/// Immutable settings of the lexical (BM25) leg's text analysis: tokenization, stop words and stemming. The same
/// options must be used at index and query time (build one <see cref="EnglishTextAnalyzer"/> with
/// <see cref="CreateAnalyzer"/> and hand it to both the <c>IndexWriterConfig</c> and <c>HybridSearch.Querying.LexicalQueryBuilder</c>).
/// </summary>
/// <remarks>
/// The defaults were chosen by measuring MAP on the MED, CISI and Cranfield collections (title and text in one field,
/// BM25 k1 = 1.2, b = 0.75) against Xapian's English BM25, preferring what helped on all three over the best of one:
/// Porter2 beat no stemming by 0.03 MAP on each and beat Krovetz and the minimal stemmer by 0.01–0.02; Porter was
/// within 0.001 of it. The 174-word Snowball stop list beat the 33-word list by 0.012–0.013 on CISI and Cranfield
/// (questions such as "what are the ... which ..." otherwise score on function words) and tied on MED.
/// </remarks>
/// <example>
/// <code>
/// var analyzer = TextAnalysisOptions.Default.CreateAnalyzer();                     // Porter2, Snowball stop words
/// var exact = TextAnalysisOptions.Standard.CreateAnalyzer();                        // no stemming
/// var custom = TextAnalysisOptions.Default.WithCustomStopWords(["patient", "study"]).CreateAnalyzer();
/// </code>
/// </example>
public sealed record TextAnalysisOptions
{
    /// <summary>English text, <see cref="TextStemmer.Porter2"/> stemming, the <see cref="StopWordList.SnowballEnglish"/> stop words.</summary>
    public static TextAnalysisOptions Default { get; } = new();

    /// <summary>Like <see cref="Default"/> but without stemming: lower-cased whole words, Snowball English stop words.</summary>
    public static TextAnalysisOptions Standard { get; } = new() { Stemmer = TextStemmer.None };

    /// <summary>The stemmer; <see cref="TextStemmer.Porter2"/> unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TextStemmer"/>.</exception>
    public TextStemmer Stemmer
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Stemmer), value, "Not a defined stemmer.");
    } = TextStemmer.Porter2;

    /// <summary>The stop words; <see cref="StopWordList.SnowballEnglish"/> unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="StopWordList"/>.</exception>
    public StopWordList StopWords
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StopWords), value, "Not a defined stop-word list.");
    } = StopWordList.SnowballEnglish;

    /// <summary>
    /// The stop words used when <see cref="StopWords"/> is <see cref="StopWordList.Custom"/>, matched case-insensitively
    /// against the lower-cased, unstemmed word; empty otherwise.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">A word is null, empty or white space.</exception>
    public IReadOnlyList<string> CustomStopWords
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(CustomStopWords));
            for (var i = 0; i < value.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(value[i]))
                {
                    throw new ArgumentException($"Custom stop word #{i} is null, empty or white space.", nameof(CustomStopWords));
                }
            }

            field = [.. value];
        }
    } = [];

    /// <summary>These options with <see cref="StopWords"/> = <see cref="StopWordList.Custom"/> and the given words.</summary>
    /// <param name="words">The stop words (matched case-insensitively before stemming).</param>
    /// <returns>A copy of these options using exactly <paramref name="words"/> as stop words.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> is null.</exception>
    /// <exception cref="ArgumentException">A word is null, empty or white space.</exception>
    public TextAnalysisOptions WithCustomStopWords(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return this with { StopWords = StopWordList.Custom, CustomStopWords = [.. words] };
    }

    /// <summary>Builds the analyzer these options describe; it is thread-safe and should be reused (and disposed with the index).</summary>
    /// <returns>A new <see cref="EnglishTextAnalyzer"/>.</returns>
    public EnglishTextAnalyzer CreateAnalyzer() => new(this);
}
