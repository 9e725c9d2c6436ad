using Lucene.Net.Codecs;
using Lucene.Net.Codecs.PerField;

namespace HybridSearch.Codecs;

/// <summary>Sends declared vector fields to <see cref="HnswVectorsFormat"/> and every other doc values field to
/// Lucene45, the format Lucene46Codec uses.</summary>
internal sealed class HybridPerFieldDocValuesFormat : PerFieldDocValuesFormat
{
    private readonly IReadOnlyDictionary<string, VectorFieldOptions> _vectorFields;
    private readonly HnswVectorsFormat _vectors;
    private readonly DocValuesFormat _default = DocValuesFormat.ForName("Lucene45");

    public HybridPerFieldDocValuesFormat(IReadOnlyDictionary<string, VectorFieldOptions> vectorFields)
    {
        _vectorFields = vectorFields;
        _vectors = new HnswVectorsFormat(field => _vectorFields.TryGetValue(field, out var options) ? options : null);
    }

    public override DocValuesFormat GetDocValuesFormatForField(string field) =>
        _vectorFields.ContainsKey(field) ? _vectors : _default;
}
