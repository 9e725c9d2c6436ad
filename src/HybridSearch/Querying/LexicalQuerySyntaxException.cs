namespace HybridSearch.Querying;

/// <summary>A user query in Lucene query syntax could not be parsed by <see cref="LexicalQueryBuilder.ParseUserQuery"/>.</summary>
public sealed class LexicalQuerySyntaxException : HybridSearchException
{
    /// <summary>Creates the exception for <paramref name="query"/>.</summary>
    /// <param name="query">The query text as the user gave it.</param>
    /// <param name="position">Zero-based character offset where parsing failed, or -1 when the parser did not say.</param>
    /// <param name="reason">What is wrong, in the parser's words.</param>
    /// <param name="innerException">The parser's exception.</param>
    public LexicalQuerySyntaxException(string query, int position, string reason, Exception? innerException)
        : base(FormatMessage(query, position, reason), innerException)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(reason);
        Query = query;
        Position = position;
        Reason = reason;
    }

    /// <summary>The query text as the user gave it.</summary>
    public string Query { get; }

    /// <summary>Zero-based character offset in <see cref="Query"/> where parsing failed, or -1 when unknown.</summary>
    public int Position { get; }

    /// <summary>What is wrong, in the parser's words.</summary>
    public string Reason { get; }

    private static string FormatMessage(string? query, int position, string? reason) =>
        position >= 0
            ? $"Query syntax error at position {position} in '{query}': {reason}"
            : $"Query syntax error in '{query}': {reason}";
}
