using System.Globalization;
using HybridSearch.Records;
using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace HybridSearch.Indexing;

/// <summary>
/// Reads back what <see cref="RecordDocumentBuilder"/> wrote: the kind of a document and a record document's stored
/// metadata. Kept beside the builder so the stored encoding (lower-case kind names, dates as a round-trip text field
/// with <see cref="RecordDocumentBuilder.DateTextSuffix"/>) lives in one place.
/// </summary>
internal static class RecordDocumentReader
{
    /// <summary>The kind of a document from its stored <see cref="IndexFieldNames.Kind"/> value.</summary>
    /// <exception cref="CorruptIndexException">A value the builder never writes (the searcher turns it into
    /// <see cref="IndexCorruptException"/> naming the index).</exception>
    public static DocumentKind KindOf(string storedKind) => storedKind switch
    {
        "record" => DocumentKind.Record,
        "image" => DocumentKind.Image,
        "segment" => DocumentKind.Segment,
        "chunk" => DocumentKind.Chunk,
        _ => throw new CorruptIndexException($"a document has the unknown kind '{storedKind}' (the index was not written by this library, or is damaged)."),
    };

    /// <summary>The metadata stored on a record document, by field name, ordered by name.</summary>
    /// <param name="record">A record document (children store none).</param>
    /// <param name="kindOf">The index's kind of a metadata field, or null for a field the index does not know.</param>
    public static Dictionary<string, FieldValue> Metadata(Document record, Func<string, FieldKind?> kindOf)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(kindOf);
        var metadata = new SortedDictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var field in record.Fields)
        {
            var name = field.Name;
            if (!name.StartsWith(IndexFieldNames.MetadataPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            name = name[IndexFieldNames.MetadataPrefix.Length..];
            if (name.EndsWith(RecordDocumentBuilder.DateTextSuffix, StringComparison.Ordinal)
                && kindOf(name[..^RecordDocumentBuilder.DateTextSuffix.Length]) == FieldKind.Date)
            {
                // Dates are indexed as epoch milliseconds (not stored) and stored as round-trip text beside them.
                metadata[name[..^RecordDocumentBuilder.DateTextSuffix.Length]] =
                    FieldValue.Date(DateTimeOffset.Parse(field.GetStringValue(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            }
            else if (kindOf(name) is { } kind)
            {
                if (kind == FieldKind.Keyword && field.GetStringValue() is { } keyword)
                {
                    metadata[name] = FieldValue.Keyword(keyword);
                }
                else if (kind == FieldKind.Number && field.GetDoubleValue() is double number)
                {
                    metadata[name] = FieldValue.Number(number);
                }
            }
        }

        return new Dictionary<string, FieldValue>(metadata, StringComparer.Ordinal);
    }
}
