namespace HybridSearch.Cli.Querying;

/// <summary>The comparison of a command-line filter.</summary>
internal enum FilterOperator
{
    /// <summary><c>key=value</c>: a keyword equals the value (several on one key mean any of them), or a number/date equals it.</summary>
    Equals,

    /// <summary><c>key&gt;=value</c>: an inclusive lower bound on a number or date field.</summary>
    AtLeast,

    /// <summary><c>key&lt;=value</c>: an inclusive upper bound on a number or date field.</summary>
    AtMost,
}
