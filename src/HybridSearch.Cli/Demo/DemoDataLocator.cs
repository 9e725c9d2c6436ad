namespace HybridSearch.Cli.Demo;

/// <summary>Finds the demo corpus (<c>data/demo/showcase.json</c> and its manifest) from the current directory or the
/// executable's location, walking up to the repository root, so <c>dotnet run</c> works from any folder of a clone.</summary>
internal static class DemoDataLocator
{
    /// <summary>The showcase file's path below a repository root.</summary>
    public static readonly string RelativeShowcasePath = Path.Combine("data", "demo", "showcase.json");

    /// <summary>Returns the full path of <c>showcase.json</c>: <paramref name="explicitFolder"/>'s when given, else the
    /// first found walking up from the current directory, then from the executable's folder.</summary>
    /// <exception cref="CliUserException">No demo corpus was found.</exception>
    public static string FindShowcase(string? explicitFolder = null)
    {
        if (explicitFolder is not null)
        {
            var direct = Path.GetFullPath(Path.Combine(explicitFolder, "showcase.json"));
            var nested = Path.GetFullPath(Path.Combine(explicitFolder, RelativeShowcasePath));
            return File.Exists(direct) ? direct
                : File.Exists(nested) ? nested
                : throw new CliUserException($"--data: no showcase.json in '{explicitFolder}' (nor in its {Path.Combine("data", "demo")}).");
        }

        var starts = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, RelativeShowcasePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new CliUserException($"cannot find the demo corpus ({RelativeShowcasePath}) above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; run from a clone of the repository or pass --data DIR.");
    }
}
