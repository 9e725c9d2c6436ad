namespace HybridSearch.Ingestion.Sources;

/// <summary>Limits and checks for <see cref="ManifestReader"/> (and for record JSON files in folders); every setting is checked when
/// set, also in <c>with</c>.</summary>
public sealed record ManifestReaderOptions
{
    /// <summary>Default options: 1 Mi characters per line, referenced files must exist.</summary>
    public static ManifestReaderOptions Default { get; } = new();

    /// <summary>Longest accepted line in characters (UTF-16 code units); a longer line is an error for that line
    /// and is skipped without being held in memory. Default 1,048,576.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxLineLength
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxLineLength), value, "MaxLineLength must be 1 or more.");
    } = 1 << 20;

    /// <summary>When true (default), a referenced image/audio/transcript file that does not exist is an error
    /// for that line.</summary>
    public bool RequireReferencedFiles { get; init; } = true;

    /// <summary>Directories outside the manifest's folder that image, audio and transcript paths may also resolve
    /// into (after following symbolic links). Empty by default: every referenced file must be inside the manifest's
    /// folder, and a path that escapes it (absolute, <c>../</c>, or a link pointing out) is an error for its line.
    /// Relative entries are relative to the current directory.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">An entry is blank.</exception>
    public IReadOnlyList<string> AllowedDirectories
    {
        get;
        init => field = SourceOptionChecks.Directories(value, nameof(AllowedDirectories));
    } = [];
}
