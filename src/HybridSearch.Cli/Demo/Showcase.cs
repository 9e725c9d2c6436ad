namespace HybridSearch.Cli.Demo;

/// <summary>The showcase of the demo corpus (<c>data/demo/showcase.json</c>): the manifest it runs over and its queries.</summary>
/// <param name="Path">Full path of the showcase file.</param>
/// <param name="ManifestPath">Full path of the manifest the queries run over.</param>
/// <param name="Queries">The queries, in file order.</param>
internal sealed record Showcase(string Path, string ManifestPath, IReadOnlyList<ShowcaseQuery> Queries);
