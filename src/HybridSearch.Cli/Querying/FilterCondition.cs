namespace HybridSearch.Cli.Querying;

/// <summary>One filter as the user wrote it (on the command line, in a batch file or in the showcase), before the
/// index's field kinds say whether its value is a keyword, a number or a date.</summary>
/// <param name="Field">The metadata field name.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The value as text (numbers in invariant culture, dates in ISO 8601).</param>
internal sealed record FilterCondition(string Field, FilterOperator Operator, string Value)
{
    /// <summary>The condition in command-line syntax, e.g. <c>price&lt;=400</c>.</summary>
    public override string ToString() => Field + Operator switch
    {
        FilterOperator.AtLeast => ">=",
        FilterOperator.AtMost => "<=",
        _ => "=",
    } + Value;
}
