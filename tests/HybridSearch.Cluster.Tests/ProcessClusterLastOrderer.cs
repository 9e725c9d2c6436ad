using Xunit.Abstractions;

[assembly: TestCollectionOrderer("HybridSearch.Cluster.Tests.ProcessClusterLastOrderer", "HybridSearch.Cluster.Tests")]

namespace HybridSearch.Cluster.Tests;

/// <summary>
/// Runs the in-process clusters first, by name, and the process cluster (<see cref="ClusterProcessTests"/>: redis-server,
/// three silo processes and a dozen CLI processes) last. `dotnet test` at the root runs this project beside
/// HybridSearch.Tests, which starts its two heavy CLI collections at once; xUnit's default order is a hash of the
/// collection's id (it differs from one checkout path to another) and often put the process cluster's start-up right
/// there, on the same two cores. Last, it meets the other project's lighter tail.
/// </summary>
public sealed class ProcessClusterLastOrderer : ITestCollectionOrderer
{
    /// <inheritdoc />
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => collection.DisplayName.EndsWith("." + nameof(ClusterProcessTests), StringComparison.Ordinal))
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);
}
