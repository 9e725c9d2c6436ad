using HybridSearch.Records;

namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// One element of a record source's stream: either a parsed <see cref="Record"/> or the
/// <see cref="IngestionException"/> that explains why that item could not become one.
/// </summary>
public sealed class IngestionItem
{
    private IngestionItem(Record? record, IngestionException? error)
    {
        Record = record;
        Error = error;
    }

    /// <summary>The record, or null when <see cref="IsError"/>.</summary>
    public Record? Record { get; }

    /// <summary>The error, or null when a record was parsed.</summary>
    public IngestionException? Error { get; }

    /// <summary>True when this item is an error.</summary>
    public bool IsError => Error is not null;

    /// <summary>Wraps a parsed record.</summary>
    /// <param name="record">The record.</param>
    public static IngestionItem FromRecord(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new IngestionItem(record, null);
    }

    /// <summary>Wraps an item error.</summary>
    /// <param name="error">The error naming the file/line and reason.</param>
    public static IngestionItem FromError(IngestionException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new IngestionItem(null, error);
    }

    /// <summary>The record id or the error message.</summary>
    public override string ToString() => Record?.Id ?? Error!.Message;
}
