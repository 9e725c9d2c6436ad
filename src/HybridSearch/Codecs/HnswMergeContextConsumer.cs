using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>Forwards everything to Lucene's per-field doc values writer, except that a binary field's merge runs inside
/// an <see cref="HnswMergeContext"/>, so the vectors writer can see the incoming segments (and their graphs).</summary>
internal sealed class HnswMergeContextConsumer(DocValuesConsumer inner) : DocValuesConsumer
{
    public override void AddNumericField(FieldInfo field, IEnumerable<long?> values) => inner.AddNumericField(field, values);

    public override void AddBinaryField(FieldInfo field, IEnumerable<BytesRef> values) => inner.AddBinaryField(field, values);

    public override void AddSortedField(FieldInfo field, IEnumerable<BytesRef> values, IEnumerable<long?> docToOrd) =>
        inner.AddSortedField(field, values, docToOrd);

    public override void AddSortedSetField(FieldInfo field, IEnumerable<BytesRef> values, IEnumerable<long?> docToOrdCount, IEnumerable<long?> ords) =>
        inner.AddSortedSetField(field, values, docToOrdCount, ords);

    public override void MergeBinaryField(FieldInfo fieldInfo, MergeState mergeState, IList<BinaryDocValues> toMerge, IList<IBits> docsWithField)
    {
        using (HnswMergeContext.Enter(fieldInfo.Name, mergeState, toMerge))
        {
            inner.MergeBinaryField(fieldInfo, mergeState, toMerge, docsWithField);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
    }
}
