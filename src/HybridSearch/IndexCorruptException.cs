namespace HybridSearch;

/// <summary>
/// The index on disk is damaged: a file fails its checksum, is truncated, is missing or does not decode. The message
/// names the index directory and the affected file(s). Nothing the caller passes can fix it: restore the index from a
/// backup, or re-index the affected records into a new index (<c>hybridsearch check</c> lists what is affected).
/// The CLI maps it to exit code 4.
/// </summary>
public sealed class IndexCorruptException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="indexDirectory">The index directory.</param>
    /// <param name="files">The damaged files (names inside <paramref name="indexDirectory"/>); empty when not known.</param>
    /// <param name="reason">What is wrong, in the words of the check that found it.</param>
    /// <param name="innerException">The exception that revealed the damage, if any.</param>
    public IndexCorruptException(string indexDirectory, IReadOnlyList<string> files, string reason, Exception? innerException = null)
        : base(Format(indexDirectory, files, reason), innerException)
    {
        ArgumentNullException.ThrowIfNull(indexDirectory);
        ArgumentNullException.ThrowIfNull(files);
        IndexDirectory = indexDirectory;
        Files = files;
        Reason = reason;
    }

    /// <summary>The index directory.</summary>
    public string IndexDirectory { get; }

    /// <summary>The damaged files, by name inside <see cref="IndexDirectory"/>; empty when the damage could not be
    /// pinned to a file.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    private static string Format(string indexDirectory, IReadOnlyList<string>? files, string reason) =>
        files is { Count: > 0 }
            ? $"index '{indexDirectory}' is corrupt: file {string.Join(", ", files.Select(f => $"'{f}'"))}: {reason}"
            : $"index '{indexDirectory}' is corrupt: {reason}";
}
