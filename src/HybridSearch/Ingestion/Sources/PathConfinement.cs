namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// Keeps the paths a record source reads inside its own folder (and any directories the user allowed): a path is
/// resolved to the file that opening it would reach, every symbolic link on the way followed, and that real path must
/// lie under one of the allowed roots, so neither <c>../</c>, an absolute path, nor a link (to a file or through a
/// linked directory) can make a manifest read <c>/etc/passwd</c> or a sibling project's files into the index.
/// </summary>
internal sealed class PathConfinement
{
    /// <summary>Links followed for one path before it is called a loop (Linux's own limit is 40).</summary>
    private const int MaxLinks = 40;

    private readonly string _base;
    private readonly string[] _roots;

    private PathConfinement(string baseDirectory, string[] roots)
    {
        _base = baseDirectory;
        _roots = roots;
    }

    /// <summary>Confines to <paramref name="baseDirectory"/> and the <paramref name="allowedDirectories"/> (relative
    /// ones are relative to the current directory).</summary>
    public static PathConfinement ForBase(string baseDirectory, IEnumerable<string> allowedDirectories)
    {
        var roots = new[] { baseDirectory }.Concat(allowedDirectories)
            .Select(directory => RealPath(Path.GetFullPath(directory)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new PathConfinement(baseDirectory, roots);
    }

    /// <summary>Null when <paramref name="fullPath"/> resolves inside an allowed root; otherwise why not, naming
    /// where it resolves to.</summary>
    public string? Check(string fullPath)
    {
        string real;
        try
        {
            real = RealPath(fullPath);
        }
        catch (IOException exception)
        {
            return exception.Message;
        }

        foreach (var root in _roots)
        {
            if (IsUnder(real, root))
            {
                return null;
            }
        }

        var others = _roots.Length > 1 ? " or the allowed directories" : string.Empty;
        var where = string.Equals(real, fullPath, StringComparison.Ordinal) ? string.Empty : $" resolves to '{real}', which";
        return $"{where} is outside the folder '{_base}'{others}; paths must stay inside it unless a directory is explicitly allowed".TrimStart();
    }

    /// <summary>
    /// The path with every symbolic link resolved, component by component (a link's target is resolved again, and a
    /// <c>..</c> in a target climbs from the link's real directory, as the kernel does). Components that do not exist
    /// are kept as written.
    /// </summary>
    /// <exception cref="IOException">More than <see cref="MaxLinks"/> links (a loop).</exception>
    internal static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var pending = new Stack<string>(Components(fullPath[root.Length..]).Reverse());
        var current = root;
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"'{fullPath}' has more than {MaxLinks} symbolic links on its way (a link loop?)");
            }

            if (Path.IsPathRooted(target))
            {
                var targetRoot = Path.GetPathRoot(target)!;
                current = targetRoot;
                target = target[targetRoot.Length..];
            }

            foreach (var component in Components(target).Reverse())
            {
                pending.Push(component);
            }
        }

        return current;
    }

    private static IEnumerable<string> Components(string relative) =>
        relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsUnder(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (path.Equals(root, comparison))
        {
            return true;
        }

        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }
}
