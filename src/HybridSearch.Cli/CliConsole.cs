using Spectre.Console;

namespace HybridSearch.Cli;

/// <summary>
/// Where a command writes: plain writers for machine-readable output (JSON lines, errors) and a Spectre.Console
/// console over the same standard output for tables and progress bars. Tests pass string writers; the program
/// passes the process's console.
/// </summary>
internal sealed class CliConsole
{
    /// <summary>Creates a console over two writers.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="isTerminal">True when <paramref name="output"/> is an interactive terminal (progress bars,
    /// colours); false when redirected (plain lines).</param>
    public CliConsole(TextWriter output, TextWriter error, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Out = output;
        Error = error;
        IsTerminal = isTerminal;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            // Redirected output has no width; a wide fixed width keeps table rows on one line for grep and diff.
            Ansi.Profile.Width = 160;
        }
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>True when standard output is an interactive terminal.</summary>
    public bool IsTerminal { get; }

    /// <summary>The Spectre.Console console writing to <see cref="Out"/>.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>The process's console; interactive when standard output is not redirected.</summary>
    public static CliConsole FromSystemConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);
}
