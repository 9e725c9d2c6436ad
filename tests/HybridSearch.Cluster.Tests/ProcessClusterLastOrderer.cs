using Xunit.Abstractions;

[assembly: TestCollectionOrderer("HybridSearch.Cluster.Tests.ProcessClusterLastOrderer", "HybridSearch.Cluster.Tests")]

namespace HybridSearch.Cluster.Tests;

/// <summary>
/// Runs the in-process clusters first, by name, and the process cluster (<see cref="ClusterProcessTests"/>: redis-server,
/// three silo processes and a dozen CLI processes) last. `dotnet test` at the root runs this project beside
/// HybridSearch.Tests, which starts its two heavy CLI collections at once; under xUnit's default order the process
/// cluster started anywhere from 0 to 79 s into the run (four runs of one build), sometimes right beside them on the
/// same two cores. Last, it starts after the light in-process clusters, the same way every run.
/// </summary>
public sealed class ProcessClusterLastOrderer : ITestCollectionOrderer
{
    /// <inheritdoc />
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => collection.DisplayName.EndsWith("." + nameof(ClusterProcessTests), StringComparison.Ordinal))
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);
}
