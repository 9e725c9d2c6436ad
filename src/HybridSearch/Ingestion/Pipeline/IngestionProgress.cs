namespace HybridSearch.Ingestion;

/// <summary>
/// Where an <see cref="IngestionPipeline"/> run is. Reported once per finished item, in source order, from one
/// thread at a time, so <see cref="Done"/> and <see cref="Failed"/> never decrease. At the end
/// <see cref="Done"/> + <see cref="Failed"/> = <see cref="Total"/>.
/// </summary>
/// <param name="Done">Items finished without any problem (records indexed with all their media).</param>
/// <param name="Total">Items in the source, once it has been read to the end; null while it is still being read.</param>
/// <param name="Failed">Items with at least one problem: a source error (bad manifest line, duplicate id), a record
/// that could not be indexed, or a record indexed without some of its media (see <see cref="IngestionSummary.Failures"/>).</param>
/// <param name="CurrentItem">The record id (or the failing file) of the item just finished.</param>
public sealed record IngestionProgress(int Done, int? Total, int Failed, string? CurrentItem);
