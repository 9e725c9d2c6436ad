using HybridSearch.Ingestion.Sources;
using HybridSearch.Records;

namespace HybridSearch.Benchmarks;

/// <summary>A BEIR corpus as ingestion records: one record per document, its title and text as they are.</summary>
internal sealed class BeirRecordSource(BeirCollection collection) : IRecordSource
{
    public IEnumerable<IngestionItem> ReadItems(CancellationToken cancellationToken = default)
    {
        foreach (var document in collection.Corpus)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return IngestionItem.FromRecord(new Record(document.Id, document.Title, document.Text));
        }
    }
}
