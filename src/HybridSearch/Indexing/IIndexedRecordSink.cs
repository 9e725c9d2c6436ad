namespace HybridSearch.Indexing;

/// <summary>
/// Where ingestion writes records: a <see cref="HybridIndex"/>, or a sharded index on a cluster
/// (src/HybridSearch.Cluster). Called from one thread at a time.
/// </summary>
public interface IIndexedRecordSink
{
    /// <summary>Adds or replaces (by id) a record with all its documents.</summary>
    void Upsert(IndexedRecord record);

    /// <summary>Makes every upsert so far durable; returns once it is.</summary>
    void Commit();

    /// <summary>Makes the upserts so far visible to searches.</summary>
    void Refresh();
}
