namespace HybridSearch.Querying;

/// <summary>A query vector would be compared with vectors of a field that another model produced (or of another
/// dimension): the similarity would be meaningless, so the search is refused.</summary>
public sealed class EmbedderMismatchException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The vector field.</param>
    /// <param name="indexEmbedder">The embedder (and dimension) the index records for the field.</param>
    /// <param name="queryEmbedder">The embedder (and dimension) the query was embedded with.</param>
    public EmbedderMismatchException(string field, string indexEmbedder, string queryEmbedder)
        : base($"Vector field '{field}' holds vectors of {indexEmbedder}, but the query was embedded by {queryEmbedder}; configure the searcher with the field's embedder.")
    {
        Field = field;
        IndexEmbedder = indexEmbedder;
        QueryEmbedder = queryEmbedder;
    }

    /// <summary>The vector field.</summary>
    public string Field { get; }

    /// <summary>The embedder the index records for the field.</summary>
    public string IndexEmbedder { get; }

    /// <summary>The embedder of the query.</summary>
    public string QueryEmbedder { get; }
}
