namespace HybridSearch.Cli.Querying;

/// <summary>One line of a <c>search --queries FILE.jsonl</c> batch.</summary>
/// <param name="Id">The query id, echoed as <c>query_id</c> in the result line.</param>
/// <param name="LineNumber">1-based line in the batch file, for errors.</param>
/// <param name="Text">Query text, or null.</param>
/// <param name="Images">Query image paths, resolved against the batch file's folder.</param>
/// <param name="Filters">Filters.</param>
/// <param name="Top">Page size, or null for the command's <c>--top</c>.</param>
/// <param name="Offset">Hits to skip, or null for the command's <c>--offset</c>.</param>
internal sealed record BatchQuery(
    string Id,
    int LineNumber,
    string? Text,
    IReadOnlyList<string> Images,
    IReadOnlyList<FilterCondition> Filters,
    int? Top,
    int? Offset)
{
    /// <summary>The relevant record ids of a judged query (<c>tune</c>), or null in a plain batch.</summary>
    public IReadOnlyList<string>? Relevant { get; init; }
}
