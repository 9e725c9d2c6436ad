namespace HybridSearch.Cli.Querying;

/// <summary>Bounds on paging arguments, so a typo like <c>--top 1000000000</c> is an error and not an out-of-memory.</summary>
internal static class SearchLimits
{
    /// <summary>Largest accepted <c>--top</c> or <c>--offset</c> (and their sum).</summary>
    public const int MaxPageEnd = 10_000;
}
