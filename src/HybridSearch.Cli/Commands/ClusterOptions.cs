using System.CommandLine;

namespace HybridSearch.Cli.Commands;

/// <summary>The <c>--cluster redis://HOST:PORT</c> option: the command works on a logical index sharded over an
/// Orleans cluster, and <c>--index</c> names that index instead of a directory.</summary>
internal static class ClusterOptions
{
    /// <summary>Creates the option.</summary>
    public static Option<string> Cluster() => new("--cluster")
    {
        Description = "Work on a logical index of a HybridSearch cluster (silos started with `hybridsearch silo`) whose membership is in this Redis server; --index then names the index.",
        HelpName = "redis://HOST:PORT",
    };
}
