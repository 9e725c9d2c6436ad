namespace HybridSearch.Ingestion;

/// <summary>Limits and checks for <see cref="ManifestReader"/> (and for record JSON files in folders).</summary>
public sealed record ManifestReaderOptions
{
    /// <summary>Default options: 1 Mi characters per line, referenced files must exist.</summary>
    public static ManifestReaderOptions Default { get; } = new();

    /// <summary>Longest accepted line in characters (UTF-16 code units); a longer line is an error for that line
    /// and is skipped without being held in memory. Default 1,048,576.</summary>
    public int MaxLineLength { get; init; } = 1 << 20;

    /// <summary>When true (default), a referenced image/audio/transcript file that does not exist is an error
    /// for that line.</summary>
    public bool RequireReferencedFiles { get; init; } = true;
}
