using System.Runtime.InteropServices;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Where the optional native packages (the pocketsphinx library and its model) are looked up: the installed system,
/// or a folder used as the file-system root instead. Under a root folder, an absolute path such as
/// <c>/usr/share/pocketsphinx/model</c> becomes <c>ROOT/usr/share/pocketsphinx/model</c>, and a shared-library name
/// is looked up only in <c>ROOT/usr/lib/&lt;multiarch&gt;</c>, <c>ROOT/usr/lib</c>, <c>ROOT/lib/&lt;multiarch&gt;</c> and
/// <c>ROOT/lib</c>, never through the system loader's search. Pointing the environment variable
/// <see cref="VariableName"/> at an empty folder hides the installed packages (CI runs the test suite that way to
/// prove it passes on a machine without them); pointing it at an unpacked package tree uses a copy that is not
/// installed system-wide.
/// </summary>
/// <example><code>
/// // HYBRIDSEARCH_NATIVE_ROOT=/tmp/empty dotnet test   → pocketsphinx reports "not available", its tests skip
/// var options = PocketSphinxOptions.ForRoot(new NativeLookupRoot("/opt/sphinx-unpacked"));
/// </code></example>
public sealed class NativeLookupRoot
{
    /// <summary>The environment variable naming the root folder (<c>HYBRIDSEARCH_NATIVE_ROOT</c>); unset or empty
    /// means the installed system.</summary>
    public const string VariableName = "HYBRIDSEARCH_NATIVE_ROOT";

    /// <summary>Creates a lookup root.</summary>
    /// <param name="folder">The folder used as the file-system root, or null for the installed system.</param>
    public NativeLookupRoot(string? folder)
    {
        Folder = string.IsNullOrEmpty(folder) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
    }

    /// <summary>The installed system: paths as given, library names through the system loader's search.</summary>
    public static NativeLookupRoot Installed { get; } = new(null);

    /// <summary>The folder used as the root, or null for the installed system.</summary>
    public string? Folder { get; }

    /// <summary>The root named by <see cref="VariableName"/>, read at each call, or <see cref="Installed"/> when it is
    /// unset or empty.</summary>
    public static NativeLookupRoot FromEnvironment() => new(Environment.GetEnvironmentVariable(VariableName));

    /// <summary>An absolute path of the installed system as seen under this root (unchanged for the system root or
    /// a relative path).</summary>
    /// <param name="systemPath">For example <c>/usr/share/pocketsphinx/model/en-us/en-us</c>.</param>
    public string ResolvePath(string systemPath)
    {
        ArgumentNullException.ThrowIfNull(systemPath);
        return Folder is null || !Path.IsPathRooted(systemPath)
            ? systemPath
            : Path.Join(Folder, Path.GetRelativePath(Path.GetPathRoot(systemPath)!, systemPath));
    }

    /// <summary>What to pass to the native loader for a shared library: the name itself for the system root (the
    /// loader's own search), else the first of the root's library folders that holds it, or the path in the first
    /// library folder when none does (so a failure names where it looked).</summary>
    /// <param name="libraryName">A file name such as <c>libpocketsphinx.so.3</c>, or a path (resolved as
    /// <see cref="ResolvePath"/> does).</param>
    public string ResolveLibrary(string libraryName)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryName);
        if (Folder is null)
        {
            return libraryName;
        }

        if (libraryName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return ResolvePath(libraryName);
        }

        var candidates = LibraryFolders().Select(folder => Path.Join(Folder, folder, libraryName)).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    /// <inheritdoc />
    public override string ToString() => Folder ?? "/";

    private static IEnumerable<string> LibraryFolders()
    {
        var multiarch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            Architecture.Arm => "arm-linux-gnueabihf",
            Architecture.X86 => "i386-linux-gnu",
            _ => null,
        };
        if (multiarch is not null)
        {
            yield return Path.Join("usr", "lib", multiarch);
        }

        yield return Path.Join("usr", "lib");
        if (multiarch is not null)
        {
            yield return Path.Join("lib", multiarch);
        }

        yield return "lib";
    }
}
