using System.CommandLine;
using HybridSearch.Cluster.Hosting;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch silo</c>: runs one Orleans silo of a HybridSearch cluster in the foreground until Ctrl-C
/// or SIGTERM, keeping shards under <c>--data DIR</c>.</summary>
internal static class SiloCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var data = new Option<string>("--data") { Description = "The folder of shard indexes and the catalogue, shared by every silo that may own a shard (one machine, or shared storage).", Required = true, HelpName = "DIR" };
        var cluster = ClusterOptions.Cluster();
        cluster.Required = true;
        var port = new Option<int>("--port") { Description = "Silo-to-silo port.", DefaultValueFactory = _ => 11111, HelpName = "P" };
        var gateway = new Option<int>("--gateway-port") { Description = "Port clients connect to.", DefaultValueFactory = _ => 30000, HelpName = "G" };
        CommonOptions.AddRangeValidator(port, 1, 65535);
        CommonOptions.AddRangeValidator(gateway, 1, 65535);
        var command = new Command("silo", "Run a silo of a HybridSearch cluster (Microsoft Orleans, membership in Redis) until Ctrl-C or SIGTERM.")
        {
            data,
            cluster,
            port,
            gateway,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parseResult.GetRequiredValue(data));
            Directory.CreateDirectory(directory);
            using var host = ClusterSiloHost.Build(directory, parseResult.GetRequiredValue(cluster), parseResult.GetValue(port), parseResult.GetValue(gateway));
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new CliUserException($"silo could not start (cluster {parseResult.GetValue(cluster)}, ports {parseResult.GetValue(port)}/{parseResult.GetValue(gateway)}): {exception.Message}", exception);
            }

            console.Out.WriteLine($"silo running: data '{directory}', cluster {parseResult.GetValue(cluster)}, silo port {parseResult.GetValue(port)}, gateway port {parseResult.GetValue(gateway)} (Ctrl-C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM: leave the cluster cleanly; shards close (committing) and move to the other silos.
            }

            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            console.Out.WriteLine("silo stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
