namespace HybridSearch.Indexing;

/// <summary>The kinds of Lucene documents a record is indexed as.</summary>
public enum DocumentKind
{
    /// <summary>The record itself: title, text, metadata.</summary>
    Record,

    /// <summary>One attached image: path, caption, image vectors.</summary>
    Image,

    /// <summary>One timed transcript segment of an attached audio clip.</summary>
    Segment,

    /// <summary>One chunk of the record's title and text with its text vector.</summary>
    Chunk,
}
