namespace HybridSearch.Codecs;

/// <summary>Vectors of one embedder would meet the vectors of a field that another embedder (or another dimension or
/// similarity) produced: a query embedded by another model, a pipeline writing with another model, or index options
/// naming another model. Their similarity would be meaningless, so the operation is refused. The rule is
/// <see cref="VectorFieldOptions.CheckEmbedder"/>, the only place it is decided.</summary>
public sealed class EmbedderMismatchException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The vector field.</param>
    /// <param name="indexEmbedder">The embedder (and dimension) the index records for the field.</param>
    /// <param name="queryEmbedder">The embedder (and dimension) of the vectors that would meet the field's.</param>
    public EmbedderMismatchException(string field, string indexEmbedder, string queryEmbedder)
        : this(field, indexEmbedder, queryEmbedder, "the query was embedded by")
    {
    }

    /// <summary>Creates the exception, naming what brings the other vectors (e.g. "the pipeline embeds with").</summary>
    /// <param name="field">The vector field.</param>
    /// <param name="indexEmbedder">The embedder (and dimension) the index records for the field.</param>
    /// <param name="queryEmbedder">The embedder (and dimension) of the vectors that would meet the field's.</param>
    /// <param name="source">Words naming where those vectors come from, e.g. "the query was embedded by".</param>
    public EmbedderMismatchException(string field, string indexEmbedder, string queryEmbedder, string source)
        : base($"Vector field '{field}' holds vectors of {indexEmbedder}, but {source} {queryEmbedder}; use the field's embedder, or a new index for another model.")
    {
        Field = field;
        IndexEmbedder = indexEmbedder;
        QueryEmbedder = queryEmbedder;
    }

    /// <summary>The vector field.</summary>
    public string Field { get; }

    /// <summary>The embedder the index records for the field.</summary>
    public string IndexEmbedder { get; }

    /// <summary>The embedder of the other vectors (the query's, the pipeline's or the options').</summary>
    public string QueryEmbedder { get; }
}
