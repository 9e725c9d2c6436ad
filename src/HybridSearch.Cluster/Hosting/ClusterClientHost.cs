using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace HybridSearch.Cluster.Hosting;

/// <summary>Connects to a running cluster as an Orleans client (through any live silo's gateway).</summary>
public static class ClusterClientHost
{
    /// <summary>Starts a client host for <paramref name="clusterUrl"/> and returns it with its <see cref="IClusterClient"/>.</summary>
    /// <exception cref="HybridSearchException">The cluster does not answer.</exception>
    public static async Task<(IHost Host, IClusterClient Client)> ConnectAsync(string clusterUrl, CancellationToken cancellationToken = default)
    {
        var redis = ClusterAddress.ToRedisConfiguration(clusterUrl);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(redis);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterAddress.ClusterId;
                o.ServiceId = ClusterAddress.ClusterId;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            host.Dispose();
            throw new HybridSearchException($"cluster '{clusterUrl}' does not answer: {exception.Message}", exception);
        }

        return (host, host.Services.GetRequiredService<IClusterClient>());
    }
}
