using System.Globalization;
using HybridSearch.Codecs;
using HybridSearch.Records;
using Lucene.Net.Documents;

namespace HybridSearch.Indexing;

/// <summary>Turns an <see cref="IndexedRecord"/> into its Lucene documents (children first, the record last). Every
/// vector is validated here, before anything reaches the writer, so a bad record leaves the index untouched.</summary>
internal static class RecordDocumentBuilder
{
    public static List<Document> Build(IndexedRecord record, IReadOnlyDictionary<string, VectorFieldOptions> vectorFields, MetadataKinds kinds)
    {
        var fields = record.Fields;

        // Every metadata kind the record uses is checked first and registered only once all its documents are built
        // (vectors validated), so a record refused for a bad vector does not fix a field's kind for later records.
        var recordKinds = fields.Select(p => (p.Key, p.Value.Kind))
            .Concat(record.Images.SelectMany(image => image.Metadata ?? new Dictionary<string, FieldValue>()).Select(p => (p.Key, p.Value.Kind)))
            .ToList();
        kinds.Validate(recordKinds);

        var docs = new List<Document>();
        for (var i = 0; i < record.Images.Count; i++)
        {
            var image = record.Images[i];
            var doc = Child(record, DocumentKind.Image, $"{record.Id}#image/{i}", fields);
            doc.Add(new StringField(IndexFieldNames.Path, image.Path, Field.Store.YES));
            if (!string.IsNullOrWhiteSpace(image.Caption))
            {
                doc.Add(new TextField(IndexFieldNames.Caption, image.Caption, Field.Store.YES));
            }

            if (image.Metadata is not null)
            {
                foreach (var (name, value) in image.Metadata)
                {
                    AddMetadata(doc, name, value, store: true);
                }
            }

            foreach (var (field, vector) in image.Vectors)
            {
                doc.Add(VectorField(record, field, vector, vectorFields, $"image '{image.Path}'"));
            }

            docs.Add(doc);
        }

        for (var i = 0; i < record.Segments.Count; i++)
        {
            var segment = record.Segments[i];
            var doc = Child(record, DocumentKind.Segment, $"{record.Id}#segment/{i}", fields);
            doc.Add(new StringField(IndexFieldNames.Path, segment.AudioPath, Field.Store.YES));
            doc.Add(new Int64Field(IndexFieldNames.StartMs, segment.StartMs, Field.Store.YES));
            doc.Add(new Int64Field(IndexFieldNames.EndMs, segment.EndMs, Field.Store.YES));
            doc.Add(new TextField(IndexFieldNames.Transcript, segment.Text, Field.Store.YES));
            docs.Add(doc);
        }

        for (var i = 0; i < record.Chunks.Count; i++)
        {
            var chunk = record.Chunks[i];
            var doc = Child(record, DocumentKind.Chunk, $"{record.Id}#chunk/{i}", fields);
            doc.Add(new Int32Field(IndexFieldNames.ChunkStart, chunk.Start, Field.Store.YES));
            doc.Add(new Int32Field(IndexFieldNames.ChunkEnd, chunk.End, Field.Store.YES));
            doc.Add(VectorField(record, IndexFieldNames.TextVector, chunk.Vector, vectorFields, $"text chunk {i}"));
            docs.Add(doc);
        }

        var main = new Document
        {
            new StringField(IndexFieldNames.Id, record.Id, Field.Store.YES),
            new StringField(IndexFieldNames.Parent, record.Id, Field.Store.YES),
            new StringField(IndexFieldNames.Kind, KindName(DocumentKind.Record), Field.Store.YES),
        };
        if (record.Title.Length > 0)
        {
            main.Add(new TextField(IndexFieldNames.Title, record.Title, Field.Store.YES));
        }

        if (record.Text.Length > 0)
        {
            main.Add(new TextField(IndexFieldNames.Text, record.Text, Field.Store.YES));
        }

        if (record.ChunkSource.Length > 0)
        {
            main.Add(new TextField(IndexFieldNames.Content, record.ChunkSource, Field.Store.NO));
        }

        foreach (var (name, value) in fields)
        {
            AddMetadata(main, name, value, store: true);
        }

        foreach (var audio in record.AudioWithoutTranscript)
        {
            main.Add(new StoredField(IndexFieldNames.Path, audio));
        }

        docs.Add(main);
        kinds.Register(recordKinds);
        return docs;
    }

    /// <summary>Suffix of the stored text field beside a date metadata field (which is indexed as epoch
    /// milliseconds and not stored): <c>meta.NAME.iso</c> holds the round-trip ("O") text of the date.</summary>
    public const string DateTextSuffix = ".iso";

    /// <summary>The stored <see cref="IndexFieldNames.Kind"/> value of a document kind (read back by
    /// <see cref="RecordDocumentReader.KindOf"/>).</summary>
    public static string KindName(DocumentKind kind) => kind switch
    {
        DocumentKind.Record => "record",
        DocumentKind.Image => "image",
        DocumentKind.Segment => "segment",
        DocumentKind.Chunk => "chunk",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown document kind."),
    };

    private static Document Child(IndexedRecord record, DocumentKind kind, string id, IReadOnlyDictionary<string, FieldValue> fields)
    {
        var doc = new Document
        {
            new StringField(IndexFieldNames.Id, id, Field.Store.YES),
            new StringField(IndexFieldNames.Parent, record.Id, Field.Store.YES),
            new StringField(IndexFieldNames.Kind, KindName(kind), Field.Store.YES),
        };

        // The record's metadata is copied (indexed, not stored) so filters apply inside every leg, kNN included.
        foreach (var (name, value) in fields)
        {
            AddMetadata(doc, name, value, store: false);
        }

        return doc;
    }

    private static void AddMetadata(Document doc, string name, FieldValue value, bool store)
    {
        var field = IndexFieldNames.Metadata(name);
        var stored = store ? Field.Store.YES : Field.Store.NO;
        switch (value.Kind)
        {
            case FieldKind.Keyword:
                doc.Add(new StringField(field, value.KeywordValue!, stored));
                break;
            case FieldKind.Number:
                doc.Add(new DoubleField(field, value.NumberValue, stored));
                break;
            default:
                doc.Add(new Int64Field(field, value.DateValue.ToUnixTimeMilliseconds(), Field.Store.NO));
                if (store)
                {
                    doc.Add(new StoredField(field + DateTextSuffix, value.DateValue.ToString("O", CultureInfo.InvariantCulture)));
                }

                break;
        }
    }

    private static KnnVectorField VectorField(IndexedRecord record, string field, float[] vector, IReadOnlyDictionary<string, VectorFieldOptions> vectorFields, string what)
    {
        if (!vectorFields.TryGetValue(field, out var options))
        {
            throw new SchemaMismatchException(field, $"record '{record.Id}' ({what}) has a vector for a field the index does not declare; declare it with HybridIndexOptions.WithVectorField.");
        }

        try
        {
            return new KnnVectorField(field, vector, options);
        }
        catch (InvalidVectorException e)
        {
            throw new InvalidVectorException(field, $"record '{record.Id}' ({what}): {e.Problem}");
        }
    }
}
