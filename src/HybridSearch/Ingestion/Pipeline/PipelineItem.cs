using HybridSearch.Indexing;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>One source item on its way through an <see cref="IngestionRun"/>: the record (or the source error),
/// its decoded and prepared images, its transcript, its problems, and finally what will be upserted. Owns the
/// prepared images until they are embedded.</summary>
internal sealed class PipelineItem : IDisposable
{
    private PipelineItem(Record? record, IngestionException? sourceError)
    {
        Record = record;
        SourceError = sourceError;
    }

    public Record? Record { get; }

    public IngestionException? SourceError { get; }

    public List<PreparedImage> Images { get; } = [];

    public List<IndexedSegment> Segments { get; } = [];

    public List<string> AudioWithoutTranscript { get; } = [];

    /// <summary>Media and sidecar problems (the record itself may still be indexed).</summary>
    public List<IngestionException> Problems { get; } = [];

    public List<string> Warnings { get; } = [];

    /// <summary>Set by the embedding stage: what the indexing stage upserts.</summary>
    public IndexedRecord? Indexed { get; set; }

    public static PipelineItem ForRecord(Record record) => new(record, null);

    public static PipelineItem ForSourceError(IngestionException error) => new(null, error);

    public void Dispose()
    {
        foreach (var image in Images)
        {
            image.Dispose();
        }

        Images.Clear();
    }
}
