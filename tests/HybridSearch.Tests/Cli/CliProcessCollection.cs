namespace HybridSearch.Tests.Cli;

/// <summary>The tests that run the CLI as child processes, one at a time. They wait on their children most of the
/// time, so they run beside the in-process <see cref="CliCollection"/> instead of after it (each test has its own
/// temporary folder; in-process runs write to their own <see cref="HybridSearch.Cli.CliConsole"/>, never to the
/// process's console).</summary>
[CollectionDefinition(Name)]
public sealed class CliProcessCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "CliProcesses";
}
