using HybridSearch.Cluster.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace HybridSearch.Cluster.Tests;

/// <summary>A real Orleans cluster of three silos in this process (Orleans' TestingHost), sharing one data folder as
/// silos on one machine do.</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    private const string DataKey = "HybridSearchTestData";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "hybridsearch-cluster-tests-" + Guid.NewGuid().ToString("N"));

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var builder = new TestClusterBuilder(3);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { [DataKey] = DataDirectory }));
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddHybridSearchShards(siloBuilder.Configuration[DataKey]!);
            // The failure tests need shards on a secondary silo. Orleans' default (resource-optimised) placement reads
            // CPU and memory statistics that the three silos of this one process share, and on a loaded machine it
            // put all six shards of an index on the primary (seen in CI); random placement spreads them.
            siloBuilder.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
        }
    }
}
