namespace HybridSearch.Indexing;

/// <summary>
/// The Lucene field names of a HybridSearch index. One Lucene document is written per record, per image, per
/// transcript segment and per text chunk; every one of them carries <see cref="Parent"/> = the record id and a copy
/// of the record's metadata fields, so a filter applies inside every leg, vector legs included.
/// </summary>
public static class IndexFieldNames
{
    /// <summary>Unique id of the Lucene document (the record id for the record document; <c>id#image/0</c> etc. for children).</summary>
    public const string Id = "id";

    /// <summary>The record id, on the record document and on all its children: the unit of upsert and delete.</summary>
    public const string Parent = "parent";

    /// <summary>What the document is: see <see cref="DocumentKind"/> (stored lower-case).</summary>
    public const string Kind = "kind";

    /// <summary>Record title (analysed, stored).</summary>
    public const string Title = "title";

    /// <summary>Record text (analysed, stored).</summary>
    public const string Text = "text";

    /// <summary>Title and text together (analysed, not stored) on record documents: the field the lexical leg
    /// searches. One combined field measured better than separate title and text fields (MAP on MED, CISI,
    /// Cranfield; see Analysis/LexicalQueryBuilder).</summary>
    public const string Content = "content";

    /// <summary>Image caption (analysed, stored) on image documents.</summary>
    public const string Caption = "caption";

    /// <summary>Transcript text (analysed, stored) on segment documents.</summary>
    public const string Transcript = "transcript";

    /// <summary>Media path (stored) on image and segment documents.</summary>
    public const string Path = "path";

    /// <summary>Segment start in milliseconds (stored, numeric).</summary>
    public const string StartMs = "start_ms";

    /// <summary>Segment end in milliseconds (stored, numeric).</summary>
    public const string EndMs = "end_ms";

    /// <summary>Character offset where a text chunk starts in title + "\n" + text (stored).</summary>
    public const string ChunkStart = "chunk_start";

    /// <summary>Character offset where a text chunk ends (stored).</summary>
    public const string ChunkEnd = "chunk_end";

    /// <summary>Prefix of metadata fields: record field <c>modality</c> is indexed as <c>f.modality</c>.</summary>
    public const string MetadataPrefix = "f.";

    /// <summary>Stored kind of each metadata field (keyword, number, date) on record documents, for display.</summary>
    public const string MetadataKindPrefix = "fk.";

    /// <summary>Default vector field of image documents (the default image embedder's vectors).</summary>
    public const string ImageVector = "image_vector";

    /// <summary>Vector field of image documents embedded by a configured CLIP model.</summary>
    public const string ClipImageVector = "clip_image_vector";

    /// <summary>Vector field of text chunk documents (the default text embedder's vectors).</summary>
    public const string TextVector = "text_vector";

    /// <summary>The Lucene field of a metadata field name.</summary>
    public static string Metadata(string name) => MetadataPrefix + name;
}
