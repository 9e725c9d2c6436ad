namespace HybridSearch.Ingestion.Sources;

/// <summary>A manifest line (or a record JSON file) that cannot become a record: malformed JSON, a missing or
/// duplicate id, an unknown property, a bad field value, a missing referenced file or an oversized line.</summary>
public sealed class ManifestException : IngestionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourcePath">The manifest or record JSON file.</param>
    /// <param name="lineNumber">1-based line number, or null for a whole-file record.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The JSON parser's exception, if any.</param>
    public ManifestException(string sourcePath, int? lineNumber, string reason, Exception? innerException = null)
        : base(sourcePath, lineNumber, reason, innerException)
    {
    }
}
