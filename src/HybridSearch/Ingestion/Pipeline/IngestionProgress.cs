using HybridSearch.Embedding;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// Where an <see cref="IngestionPipeline"/> run is. Reported once per finished item, in source order, and, while a
/// batch holding a long text is embedded (a 1 MiB record takes about a minute), after each model run with
/// <see cref="Chunks"/> set and the counts unchanged; always from one thread at a time, so <see cref="Done"/> and
/// <see cref="Failed"/> never decrease. At the end <see cref="Done"/> + <see cref="Failed"/> = <see cref="Total"/>.
/// </summary>
/// <param name="Done">Items finished without any problem (records indexed with all their media).</param>
/// <param name="Total">Items in the source, once it has been read to the end; null while it is still being read.</param>
/// <param name="Failed">Items with at least one problem: a source error (bad manifest line, duplicate id), a record
/// that could not be indexed, or a record indexed without some of its media (see <see cref="IngestionSummary.Failures"/>).</param>
/// <param name="CurrentItem">The record id (or, for a source error, the failing file) of the item just finished; in a
/// report with <see cref="Chunks"/>, the record with the longest text in the batch being embedded; null in the last
/// report of a run, made after the final commit.</param>
public sealed record IngestionProgress(int Done, int? Total, int Failed, string? CurrentItem)
{
    /// <summary>Within a long text embedding: windows embedded so far of the batch's windows; null in per-item reports.</summary>
    public ChunkEmbeddingProgress? Chunks { get; init; }
}
