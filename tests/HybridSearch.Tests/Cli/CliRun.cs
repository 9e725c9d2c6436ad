using HybridSearch.Cli;

namespace HybridSearch.Tests.Cli;

/// <summary>The outcome of one in-process run of the <c>hybridsearch</c> command.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs the command's entry point with <paramref name="args"/>, capturing stdout and stderr (not a terminal).</summary>
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error, isTerminal: false));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Non-empty lines of stdout.</summary>
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Non-empty lines of stderr.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
