using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace HybridSearch.Cluster.Hosting;

/// <summary>Builds the host of one silo: Redis membership, the given ports, shards under the data folder.</summary>
public static class ClusterSiloHost
{
    /// <summary>Adds what a HybridSearch silo needs to <paramref name="silo"/> (also used by the in-process test cluster):
    /// where shards live, and the placement that spreads an index's shards over the live silos
    /// (<see cref="Placement.ShardSpreadPlacement"/>; every silo of the cluster must have it).</summary>
    public static ISiloBuilder AddHybridSearchShards(this ISiloBuilder silo, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton(new ShardStorageOptions(dataDirectory));
        silo.Services.AddPlacementDirector<Placement.ShardSpreadPlacement, Placement.ShardSpreadPlacementDirector>();
        return silo;
    }

    /// <summary>Creates (not starts) a silo host.</summary>
    /// <param name="dataDirectory">Shards and catalogue (shared by every silo that may own a shard).</param>
    /// <param name="clusterUrl"><c>redis://HOST:PORT</c>.</param>
    /// <param name="siloPort">Silo-to-silo port (default 11111).</param>
    /// <param name="gatewayPort">Client port (default 30000).</param>
    public static IHost Build(string dataDirectory, string clusterUrl, int siloPort = 11111, int gatewayPort = 30000)
    {
        var redis = ClusterAddress.ToRedisConfiguration(clusterUrl);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseRedisClustering(redis);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterAddress.ClusterId;
                o.ServiceId = ClusterAddress.ClusterId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: true);
            // A dead silo is declared dead in seconds, so its shards move to a live silo soon after.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.AddHybridSearchShards(dataDirectory);
        });
        return builder.Build();
    }
}
