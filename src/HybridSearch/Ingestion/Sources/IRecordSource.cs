namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// A source of records (a manifest, a folder, ...) read as a deterministic stream in which every item is either a
/// record or a per-item error, so one bad item never stops the rest.
/// </summary>
public interface IRecordSource
{
    /// <summary>Reads the items lazily, in a deterministic order. Re-enumerating reads the source again.</summary>
    /// <param name="cancellationToken">Stops the enumeration between items.</param>
    IEnumerable<IngestionItem> ReadItems(CancellationToken cancellationToken = default);
}
