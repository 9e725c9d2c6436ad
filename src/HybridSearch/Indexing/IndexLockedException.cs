namespace HybridSearch.Indexing;

/// <summary>
/// Another writer — in this process or another one — holds the index: an index has one writer at a time. The message
/// names the index directory and, when the holder recorded it, the holder's process id. Readers
/// (<see cref="HybridIndex.OpenReadOnly"/>) are never refused. The lock is an operating-system lock that vanishes
/// with its process, so a killed writer never leaves the index locked.
/// </summary>
public sealed class IndexLockedException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="indexDirectory">The index directory.</param>
    /// <param name="holderProcessId">The process id of the writer holding the lock, or null when unknown.</param>
    /// <param name="innerException">The operating system's refusal.</param>
    public IndexLockedException(string indexDirectory, int? holderProcessId, Exception? innerException = null)
        : base(Format(indexDirectory, holderProcessId), innerException)
    {
        ArgumentNullException.ThrowIfNull(indexDirectory);
        IndexDirectory = indexDirectory;
        HolderProcessId = holderProcessId;
    }

    /// <summary>The index directory.</summary>
    public string IndexDirectory { get; }

    /// <summary>The process id of the writer holding the lock, or null when unknown.</summary>
    public int? HolderProcessId { get; }

    private static string Format(string indexDirectory, int? holder) =>
        $"index '{indexDirectory}' is locked by another writer{(holder is { } pid ? $" (process {pid})" : string.Empty)}; an index has one writer at a time. Wait for it to finish, or search it read-only meanwhile.";
}
