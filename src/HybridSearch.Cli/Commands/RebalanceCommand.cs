using System.CommandLine;
using HybridSearch.Cluster.Coordination;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch rebalance --cluster URL --index NAME [--timeout SECONDS] [--json]</c>: moves each shard of a cluster index
/// that does not run on the silo its placement rule names over the live silos back to that silo (after a silo
/// returned or joined) and prints each move, or that the index is balanced.</summary>
internal static class RebalanceCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index("The logical index of the cluster whose shards to rebalance.");
        index.HelpName = "NAME";
        var cluster = ClusterOptions.Cluster();
        cluster.Required = true;
        var json = CommonOptions.Json("Print one JSON object instead of lines.");
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the silos to agree on the live silos, and for each moved shard to answer from its new silo (a large index's shard takes longer to close and open).",
            DefaultValueFactory = _ => (int)ClusterIndex.DefaultRebalanceTimeout.TotalSeconds,
            HelpName = "SECONDS",
        };
        CommonOptions.AddRangeValidator(timeout, 1, 24 * 3600);
        var command = new Command("rebalance", "Move a cluster index's shards to the silos the placement rule names over the live silos (after a silo returned or joined); each moved shard answers from its new silo before this returns.")
        {
            index,
            cluster,
            timeout,
            json,
        };
        command.SetAction(parseResult => ClusterCommands.RebalanceAsync(
            console, parseResult.GetRequiredValue(cluster), parseResult.GetRequiredValue(index), TimeSpan.FromSeconds(parseResult.GetValue(timeout)), parseResult.GetValue(json), CancellationToken.None).GetAwaiter().GetResult());
        return command;
    }
}
