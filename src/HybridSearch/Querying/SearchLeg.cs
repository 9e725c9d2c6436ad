namespace HybridSearch.Querying;

/// <summary>The retrieval legs of a hybrid query. Each runs on its own, with the same filter, and ranks records
/// (children grouped by their parent record) before the legs are fused.</summary>
public enum SearchLeg
{
    /// <summary>BM25 over record titles and texts and image captions (query text, Lucene query syntax allowed).</summary>
    Lexical = 0,

    /// <summary>Nearest text chunks (<c>text_vector</c>) to the query text embedded by the text embedder (MiniLM).</summary>
    SemanticText = 1,

    /// <summary>Nearest images to the query images (<c>image_vector</c>), and — with CLIP configured — to the query
    /// text's CLIP vector and the query images' CLIP vectors (<c>clip_image_vector</c>).</summary>
    Visual = 2,

    /// <summary>BM25 over timed transcript segments of records' audio.</summary>
    Transcript = 3,
}
