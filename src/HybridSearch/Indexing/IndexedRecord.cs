using HybridSearch.Records;

namespace HybridSearch.Indexing;

/// <summary>
/// A record with everything computed that the index stores: its text and metadata, its images with vectors, its
/// transcript segments and its text chunks with vectors. <see cref="HybridIndex.Upsert"/> writes it as one atomic
/// group of Lucene documents.
/// </summary>
public sealed class IndexedRecord
{
    /// <summary>Creates the record.</summary>
    /// <exception cref="ArgumentException">A blank id, or a segment whose end is before its start.</exception>
    public IndexedRecord(
        string id,
        string? title = null,
        string? text = null,
        IReadOnlyDictionary<string, FieldValue>? fields = null,
        IEnumerable<IndexedImage>? images = null,
        IEnumerable<IndexedSegment>? segments = null,
        IEnumerable<IndexedChunk>? chunks = null,
        IEnumerable<string>? audioWithoutTranscript = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        Title = title ?? string.Empty;
        Text = text ?? string.Empty;
        Fields = fields ?? new Dictionary<string, FieldValue>();
        Images = images?.ToArray() ?? [];
        Segments = segments?.ToArray() ?? [];
        Chunks = chunks?.ToArray() ?? [];
        AudioWithoutTranscript = audioWithoutTranscript?.ToArray() ?? [];
        foreach (var segment in Segments)
        {
            if (segment.StartMs < 0 || segment.EndMs < segment.StartMs)
            {
                throw new ArgumentException($"Record '{id}': segment of '{segment.AudioPath}' has start {segment.StartMs} ms and end {segment.EndMs} ms.", nameof(segments));
            }
        }
    }

    /// <summary>Creates an indexed record from an ingested <see cref="Record"/> plus computed parts.</summary>
    public static IndexedRecord From(
        Record record,
        IEnumerable<IndexedImage>? images = null,
        IEnumerable<IndexedSegment>? segments = null,
        IEnumerable<IndexedChunk>? chunks = null,
        IEnumerable<string>? audioWithoutTranscript = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new IndexedRecord(record.Id, record.Title, record.Text, record.Fields, images, segments, chunks, audioWithoutTranscript);
    }

    /// <summary>Record id: unique in the index; upserting the same id replaces the record and all its children.</summary>
    public string Id { get; }

    /// <summary>Title (may be empty).</summary>
    public string Title { get; }

    /// <summary>Text (may be empty).</summary>
    public string Text { get; }

    /// <summary>Typed metadata fields.</summary>
    public IReadOnlyDictionary<string, FieldValue> Fields { get; }

    /// <summary>Images with their vectors.</summary>
    public IReadOnlyList<IndexedImage> Images { get; }

    /// <summary>Transcript segments of the record's audio.</summary>
    public IReadOnlyList<IndexedSegment> Segments { get; }

    /// <summary>Text chunks with their vectors.</summary>
    public IReadOnlyList<IndexedChunk> Chunks { get; }

    /// <summary>Audio clips that could not be transcribed; indexed with their path only (so they still show up in stats and results).</summary>
    public IReadOnlyList<string> AudioWithoutTranscript { get; }

    /// <summary>The text chunks are cut from: title, a newline, text.</summary>
    public string ChunkSource => Title.Length == 0 ? Text : Text.Length == 0 ? Title : Title + "\n" + Text;
}
