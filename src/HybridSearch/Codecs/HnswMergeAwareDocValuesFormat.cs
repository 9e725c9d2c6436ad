using Lucene.Net.Codecs;
using Lucene.Net.Index;

namespace HybridSearch.Codecs;

/// <summary>
/// The codec's doc values format: <see cref="HybridPerFieldDocValuesFormat"/>, except that its writer runs each binary
/// field's merge inside an <see cref="HnswMergeContext"/>. Lucene's per-field writer (sealed) merges a field by
/// enumerating its values into AddBinaryField, which would hide the incoming graphs from
/// <see cref="HnswVectorsWriter"/>. Its name is recorded nowhere: segments name the per-field formats.
/// </summary>
[DocValuesFormatName("HybridMergeAware")]
internal sealed class HnswMergeAwareDocValuesFormat(DocValuesFormat perField) : DocValuesFormat
{
    public override DocValuesConsumer FieldsConsumer(SegmentWriteState state) => new HnswMergeContextConsumer(perField.FieldsConsumer(state));

    public override DocValuesProducer FieldsProducer(SegmentReadState state) => perField.FieldsProducer(state);
}
