namespace HybridSearch.Cli;

/// <summary>The process exit codes of <c>hybridsearch</c>; scripts rely on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>A user error (bad argument, missing file, no index, an index another process is writing, ...), reported in one line on stderr.</summary>
    public const int UserError = 1;

    /// <summary>Ingestion finished but some items failed; each is listed with its reason.</summary>
    public const int IngestionFailures = 2;

    /// <summary>An unexpected internal error (a bug): reported in one line; set HYBRIDSEARCH_DEBUG=1 for the stack trace.</summary>
    public const int InternalError = 3;

    /// <summary>The index is corrupt (a file fails its checksum, is truncated or missing); the message names the
    /// file. Restore the index from a backup or re-index the affected records (see <c>hybridsearch check</c>).</summary>
    public const int IndexCorrupt = 4;

    /// <summary>Interrupted by Ctrl+C or SIGTERM (an ingestion commits what it indexed and reports it first).</summary>
    public const int Cancelled = 130;
}
