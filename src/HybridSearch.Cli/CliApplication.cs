using System.CommandLine;
using System.CommandLine.Invocation;
using HybridSearch.Cli.Commands;
using Lucene.Net.Store;

namespace HybridSearch.Cli;

/// <summary>
/// The <c>hybridsearch</c> command: builds the command tree and runs it, turning every user error into one line on
/// stderr and an exit code (see <see cref="ExitCodes"/>). Tests call <see cref="RunAsync"/> in process with string
/// writers.
/// </summary>
internal static class CliApplication
{
    /// <summary>The command's name as users type it.</summary>
    public const string CommandName = "hybridsearch";

    /// <summary>Builds the command tree.</summary>
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("HybridSearch: embedded hybrid search (BM25 + vectors + fusion) over records, images and audio, in one index directory.")
        {
            IndexCommand.Create(console),
            SearchCommand.Create(console),
            StatsCommand.Create(console),
            TuneCommand.Create(console),
            DeleteCommand.Create(console),
            CheckCommand.Create(console),
            DemoCommand.Create(console),
            SiloCommand.Create(console),
            RebalanceCommand.Create(console),
        };
        return root;
    }

    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = CreateRootCommand(console);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is ParseErrorAction)
        {
            var command = CommandPath(parseResult.CommandResult.Command);
            // An unknown token explains the rest (e.g. "Required command was not provided"), so it is reported first.
            var error = parseResult.Errors.FirstOrDefault(e => e.Message.Contains("Unrecognized", StringComparison.OrdinalIgnoreCase)) ?? parseResult.Errors[0];
            var message = args.Length == 0 ? "no command given; the commands are index, search, stats, tune, delete, check, demo, silo and rebalance." : error.Message;
            console.Error.WriteLine($"{command}: {OneLine(message)} (see '{command} --help')");
            return ExitCodes.UserError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,

            // Ctrl-C is the caller's (Program): System.CommandLine's own handler would end the process two seconds
            // after the first Ctrl-C, before an ingestion has committed and reported what it did.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexCorruptException exception)
        {
            console.Error.WriteLine($"index corrupt: {OneLine(exception.Message)}");
            return ExitCodes.IndexCorrupt;
        }
        catch (Exception exception) when (IsUserError(exception))
        {
            console.Error.WriteLine($"error: {OneLine(exception.Message)}");
            return ExitCodes.UserError;
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception exception)
        {
            console.Error.WriteLine($"internal error: {exception.GetType().Name}: {OneLine(exception.Message)}");
            if (Environment.GetEnvironmentVariable("HYBRIDSEARCH_DEBUG") == "1")
            {
                console.Error.WriteLine(exception);
            }

            return ExitCodes.InternalError;
        }
    }

    /// <summary>Errors caused by what the user asked for or gave, as opposed to bugs: the library's
    /// <see cref="HybridSearchException"/> (which includes the CLI's own <see cref="CliUserException"/>), and the
    /// operating system's refusals of a path the user named.</summary>
    internal static bool IsUserError(Exception exception) => exception
        is HybridSearchException
        or FileNotFoundException
        or DirectoryNotFoundException
        or UnauthorizedAccessException
        or LockObtainFailedException;

    /// <summary>Joins a multi-line message into one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? current = command; current is not null && current is not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(current.Name);
        }

        names.Add(CommandName);
        names.Reverse();
        return string.Join(' ', names);
    }
}
