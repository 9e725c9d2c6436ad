using HybridSearch.Codecs;
using HybridSearch.Records;

namespace HybridSearch.Indexing;

/// <summary>What an index holds, as of the last refresh.</summary>
/// <param name="Records">Number of records.</param>
/// <param name="Images">Number of image documents.</param>
/// <param name="TranscriptSegments">Number of transcript segments.</param>
/// <param name="Chunks">Number of text chunks with vectors.</param>
/// <param name="VectorFields">Vector fields with their settings (dimension, similarity, embedder).</param>
/// <param name="MetadataFields">Metadata field names with their kinds.</param>
/// <param name="SizeOnDiskBytes">Bytes of all files in the index directory.</param>
/// <param name="LuceneSegments">Number of Lucene segments.</param>
public sealed record IndexStats(
    int Records,
    int Images,
    int TranscriptSegments,
    int Chunks,
    IReadOnlyDictionary<string, VectorFieldOptions> VectorFields,
    IReadOnlyDictionary<string, FieldKind> MetadataFields,
    long SizeOnDiskBytes,
    int LuceneSegments);
