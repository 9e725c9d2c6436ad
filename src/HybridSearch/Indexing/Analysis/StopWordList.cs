namespace HybridSearch.Indexing.Analysis;

/// <summary>Which words <see cref="EnglishTextAnalyzer"/> drops before stemming, at index and query time alike.</summary>
public enum StopWordList
{
    /// <summary>
    /// Lucene's 33-word English list (<c>StopAnalyzer.ENGLISH_STOP_WORDS_SET</c>: "a", "an", "and", ... "with"),
    /// the same list the Xapian baseline uses.
    /// </summary>
    English = 0,

    /// <summary>The Snowball project's 174-word English list shipped with Lucene (pronouns, auxiliaries and other function words).</summary>
    SnowballEnglish = 1,

    /// <summary>No word is dropped.</summary>
    None = 2,

    /// <summary>The words of <see cref="TextAnalysisOptions.CustomStopWords"/>.</summary>
    Custom = 3,
}
