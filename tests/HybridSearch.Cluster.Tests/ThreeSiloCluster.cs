using HybridSearch.Cluster.Hosting;
using Microsoft.Extensions.Configuration;
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
            // As a real silo: shard grains are placed by the shards' own placement (spread by shard number), which
            // the placement tests check; other grains keep Orleans' default.
            siloBuilder.AddHybridSearchShards(siloBuilder.Configuration[DataKey]!);
        }
    }
}
