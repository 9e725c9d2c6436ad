namespace HybridSearch.Indexing.Analysis;

/// <summary>The English stemmer applied after lower-casing and stop-word removal by <see cref="EnglishTextAnalyzer"/>.</summary>
public enum TextStemmer
{
    /// <summary>No stemming: terms are indexed as lower-cased words.</summary>
    None = 0,

    /// <summary>The original Porter (1980) algorithm (Lucene <c>PorterStemFilter</c>); aggressive, conflates most inflections and derivations.</summary>
    Porter = 1,

    /// <summary>Snowball "english" (Porter2, Lucene <c>SnowballFilter</c>); the stemmer Xapian and most Snowball users call English.</summary>
    Porter2 = 2,

    /// <summary>Krovetz (Lucene <c>KStemFilter</c>): dictionary-checked, conservative; output terms are real words.</summary>
    Krovetz = 3,

    /// <summary>Plural-only stemming (Lucene <c>EnglishMinimalStemFilter</c>): "queries" → "query", nothing else.</summary>
    Minimal = 4,
}
