using HybridSearch.Querying;

namespace HybridSearch.Cli.Demo;

/// <summary>How one showcase query went: its results and which expectations failed.</summary>
/// <param name="Query">The query.</param>
/// <param name="Results">The page of results (at least <see cref="ShowcaseQuery.ExpectedWithinTop"/> deep).</param>
/// <param name="MissingIds">Expected ids not within the first <see cref="ShowcaseQuery.ExpectedWithinTop"/> hits.</param>
/// <param name="UnexpectedIds">For <see cref="ShowcaseQuery.ExpectedExactly"/>, ids found that were not expected.</param>
/// <param name="TimeProblem">For spoken hits, why the hit's segment does not match the expected time; else null.</param>
internal sealed record ShowcaseOutcome(
    ShowcaseQuery Query,
    HybridSearchResults Results,
    IReadOnlyList<string> MissingIds,
    IReadOnlyList<string> UnexpectedIds,
    string? TimeProblem)
{
    /// <summary>True when every expectation held.</summary>
    public bool Passed => MissingIds.Count == 0 && UnexpectedIds.Count == 0 && TimeProblem is null;
}
