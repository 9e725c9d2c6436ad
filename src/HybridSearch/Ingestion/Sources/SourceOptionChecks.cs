namespace HybridSearch.Ingestion.Sources;

/// <summary>The check the record sources' options share: one rule for <c>AllowedDirectories</c>.</summary>
internal static class SourceOptionChecks
{
    /// <summary>A copy of <paramref name="directories"/> when none is blank.</summary>
    /// <param name="directories">The directories given.</param>
    /// <param name="name">The option's name, for the error.</param>
    /// <exception cref="ArgumentNullException">The list is null.</exception>
    /// <exception cref="ArgumentException">An entry is null or blank.</exception>
    public static string[] Directories(IReadOnlyList<string> directories, string name)
    {
        ArgumentNullException.ThrowIfNull(directories, name);
        var copy = directories.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(copy[i]))
            {
                throw new ArgumentException($"{name}[{i}] is blank; every entry must name a directory.", name);
            }
        }

        return copy;
    }
}
