namespace HybridSearch.Cli;

/// <summary>The process exit codes of <c>hybridsearch</c>; scripts rely on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>A user error (bad argument, missing file, no index, ...), reported in one line on stderr.</summary>
    public const int UserError = 1;

    /// <summary>Ingestion finished but some items failed; each is listed with its reason.</summary>
    public const int IngestionFailures = 2;

    /// <summary>An unexpected internal error (a bug): reported in one line; set HYBRIDSEARCH_DEBUG=1 for the stack trace.</summary>
    public const int InternalError = 3;

    /// <summary>Interrupted by Ctrl+C.</summary>
    public const int Cancelled = 130;
}
