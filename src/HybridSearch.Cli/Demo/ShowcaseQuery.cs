using HybridSearch.Cli.Querying;

namespace HybridSearch.Cli.Demo;

/// <summary>One query of <c>showcase.json</c>: what it demonstrates, the query, and the ids a correct engine ranks
/// near the top.</summary>
/// <param name="Name">Short name (e.g. <c>semantic-lighthouse</c>).</param>
/// <param name="Demonstrates">What the query shows, in a sentence.</param>
/// <param name="Text">Query text, or null.</param>
/// <param name="Images">Query images, as full paths.</param>
/// <param name="Filters">Filters.</param>
/// <param name="Expected">Ids that must appear within the first <paramref name="ExpectedWithinTop"/> hits, in any order.</param>
/// <param name="ExpectedWithinTop">How deep the expected ids may be.</param>
/// <param name="ExpectedExactly">True when the (filtered) result set must be exactly <paramref name="Expected"/>.</param>
/// <param name="ExpectedTime">For spoken hits, the expected audio segment; otherwise null.</param>
internal sealed record ShowcaseQuery(
    string Name,
    string Demonstrates,
    string? Text,
    IReadOnlyList<string> Images,
    IReadOnlyList<FilterCondition> Filters,
    IReadOnlyList<string> Expected,
    int ExpectedWithinTop,
    bool ExpectedExactly,
    ShowcaseExpectedTime? ExpectedTime);
