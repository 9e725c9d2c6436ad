namespace HybridSearch.Indexing;

/// <summary>The settings given when opening an index, or a record's fields, disagree with what the index already
/// holds (a vector field's dimension or embedder, a metadata field's kind). The message names the field.</summary>
public sealed class SchemaMismatchException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    public SchemaMismatchException(string field, string message)
        : base($"Field '{field}': {message}")
    {
        Field = field;
    }

    /// <summary>The field in question.</summary>
    public string Field { get; }
}
