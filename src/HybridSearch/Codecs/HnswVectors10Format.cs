using Lucene.Net.Codecs;
using Lucene.Net.Index;

namespace HybridSearch.Codecs;

/// <summary>
/// The first vectors format (files of version 0: no block alignment, no quantization), kept so that indexes written
/// before <see cref="HnswVectorsFormat"/> still open and search. Read-only: new segments, and merges of old ones, are
/// written by <see cref="HnswVectorsFormat"/>. The layout is <see cref="HnswVectorsFormat"/>'s, version 0.
/// </summary>
[DocValuesFormatName(FormatName)]
public sealed class HnswVectors10Format : DocValuesFormat
{
    /// <summary>The name recorded in segments written by this format.</summary>
    public const string FormatName = "HnswVectors10";

    /// <summary>Creates the format (Lucene's service loader uses this).</summary>
    public HnswVectors10Format()
    {
    }

    /// <inheritdoc />
    public override DocValuesConsumer FieldsConsumer(SegmentWriteState state) =>
        throw new NotSupportedException($"Vectors format {FormatName} is read-only; segments are written with {HnswVectorsFormat.FormatName}.");

    /// <inheritdoc />
    public override DocValuesProducer FieldsProducer(SegmentReadState state) => new HnswVectorsReader(state);
}
