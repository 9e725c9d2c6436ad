namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// An <see cref="IngestionPipeline"/> run was cancelled. Every record upserted before the stop was committed, so
/// <see cref="Summary"/> says what is now durable in the index (records still being decoded or embedded were
/// dropped; a re-run of the same source replaces what is there and adds the rest).
/// </summary>
public sealed class IngestionCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="summary">What the run did before it stopped, all of it committed.</param>
    /// <param name="cancellationToken">The token that stopped the run.</param>
    public IngestionCanceledException(IngestionSummary summary, CancellationToken cancellationToken)
        : base($"Ingestion was cancelled after {summary?.Indexed} records; they were committed.", cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Summary = summary;
    }

    /// <summary>Counts, failures and warnings up to the stop; <see cref="IngestionSummary.Indexed"/> records were committed.</summary>
    public IngestionSummary Summary { get; }
}
