namespace HybridSearch.Ingestion.Pipeline;

/// <summary>The outcome of an <see cref="IngestionPipeline"/> run.</summary>
/// <param name="Items">Items read from the source (records and source errors).</param>
/// <param name="Indexed">Records upserted into the index (some may lack failed media; see <paramref name="Failures"/>).</param>
/// <param name="Failed">Items with at least one problem; <paramref name="Items"/> − <paramref name="Failed"/> items went in whole.</param>
/// <param name="Failures">Every problem, in source order: one per source error, per failed media file or sidecar,
/// per record the index refused.</param>
/// <param name="Warnings">Non-fatal notes, e.g. an audio clip without a transcript.</param>
/// <param name="Elapsed">Wall-clock time of the run, final commit included.</param>
public sealed record IngestionSummary(
    int Items,
    int Indexed,
    int Failed,
    IReadOnlyList<IngestionFailure> Failures,
    IReadOnlyList<string> Warnings,
    TimeSpan Elapsed);
