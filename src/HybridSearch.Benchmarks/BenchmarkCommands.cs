using System.CommandLine;

namespace HybridSearch.Benchmarks;

/// <summary>
/// The benchmark commands on System.CommandLine. A parse error (unknown command or option, missing or bad value)
/// prints one <c>error:</c> line per problem and exits with <see cref="UsageError"/> before any work starts; a run
/// that fails on its input prints one line and exits 1.
/// </summary>
internal static class BenchmarkCommands
{
    /// <summary>Exit code of a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>The command tree (built once: an option belongs to one command).</summary>
    public static RootCommand Root { get; } = new("HybridSearch benchmarks: each command prints progress to stderr and one JSON object as its last stdout line.")
    {
        BeirBenchmark.CreateCommand(),
        FusionBenchmark.CreateCommand(),
        LatencyBenchmark.CreateCommand(),
        FusionSignalsBenchmark.CreateCommand(),
        VisualFusionBenchmark.CreateCommand(),
        KnnBenchmark.CreateCommand(),
        KnnMergeBenchmark.CreateCommand(),
        IngestBenchmark.CreateCommand(),
        ImageRetrievalBenchmark.CreateCommand(),
        SoakBenchmark.CreateCommand(),
        DecodeBenchmark.CreateCommand(),
    };

    /// <summary>Parses <paramref name="args"/> against <see cref="Root"/>.</summary>
    public static ParseResult Parse(string[] args) => Root.Parse(args);

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("see 'HybridSearch.Benchmarks --help' and 'HybridSearch.Benchmarks <command> --help'.");
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (BenchmarkArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
