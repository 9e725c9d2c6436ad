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
        await WaitForManifestsAsync();
    }

    /// <summary>Waits until every running silo knows every other's grain types: a silo places a grain only on silos whose
    /// manifest it has received (its compatible silos), and a silo that just started or joined reaches the others'
    /// manifests some moments after membership shows it, so until then placements would see different silo sets.</summary>
    public async Task WaitForManifestsAsync()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var silos = Cluster.Silos.Select(s => s.SiloAddress).ToHashSet();
            var views = Cluster.Silos.Cast<InProcessSiloHandle>()
                .Select(s => s.ServiceProvider.GetRequiredService<IClusterManifestProvider>().Current.Silos.Keys.ToHashSet())
                .ToList();
            if (views.All(silos.SetEquals))
            {
                return;
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the silos' manifests did not converge on [{string.Join(", ", silos)}] within a minute: {string.Join("; ", views.Select(v => string.Join(", ", v)))}");
            }

            await Task.Delay(100);
        }
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
