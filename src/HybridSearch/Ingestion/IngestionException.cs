namespace HybridSearch.Ingestion;

/// <summary>
/// A problem with one ingested item. Names the file (and the line, for line-oriented sources) and the reason, so a
/// pipeline can report it and go on with the next item.
/// </summary>
public class IngestionException : HybridSearchException
{
    /// <summary>Creates an exception for one item.</summary>
    /// <param name="sourcePath">The file at fault (manifest, media file, sidecar).</param>
    /// <param name="lineNumber">1-based line within <paramref name="sourcePath"/>, or null when not line-oriented.</param>
    /// <param name="reason">What is wrong, in words, naming the bad value.</param>
    /// <param name="innerException">The underlying library exception, if any.</param>
    public IngestionException(string sourcePath, int? lineNumber, string reason, Exception? innerException = null)
        : base(Format(sourcePath, lineNumber, reason), innerException)
    {
        SourcePath = sourcePath;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The file at fault.</summary>
    public string SourcePath { get; }

    /// <summary>1-based line within <see cref="SourcePath"/>, or null.</summary>
    public int? LineNumber { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    private static string Format(string sourcePath, int? lineNumber, string reason) =>
        lineNumber is { } line ? $"{sourcePath}:{line}: {reason}" : $"{sourcePath}: {reason}";
}
