namespace HybridSearch.Cli.Querying;

/// <summary>Parses <c>--filter</c> arguments: <c>key=value</c>, <c>key&gt;=n</c> or <c>key&lt;=n</c>.</summary>
internal static class FilterExpressionParser
{
    /// <summary>The accepted syntax, for error messages and help.</summary>
    public const string Syntax = "key=value, key>=n or key<=n";

    /// <summary>Parses one expression.</summary>
    /// <exception cref="CliUserException">The expression is not in <see cref="Syntax"/>.</exception>
    public static FilterCondition Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var (index, length, op) = FindOperator(expression);
        if (index <= 0)
        {
            throw new CliUserException($"filter '{expression}': expected {Syntax}.");
        }

        var field = expression[..index].Trim();
        var value = expression[(index + length)..].Trim();
        if (field.Length == 0 || value.Length == 0 || field.EndsWith('!'))
        {
            throw new CliUserException($"filter '{expression}': expected {Syntax}.");
        }

        return new FilterCondition(field, op, value);
    }

    /// <summary>The first operator wins, so a value may itself contain '=', '&lt;' or '&gt;'.</summary>
    private static (int Index, int Length, FilterOperator Operator) FindOperator(string expression)
    {
        var at = expression.IndexOfAny(['<', '>', '=']);
        if (at < 0)
        {
            return (-1, 0, FilterOperator.Equals);
        }

        if (expression[at] == '=')
        {
            return (at, 1, FilterOperator.Equals);
        }

        if (at + 1 >= expression.Length || expression[at + 1] != '=')
        {
            return (-1, 0, FilterOperator.Equals); // '<' or '>' alone: strict comparisons are not supported
        }

        return (at, 2, expression[at] == '>' ? FilterOperator.AtLeast : FilterOperator.AtMost);
    }
}
