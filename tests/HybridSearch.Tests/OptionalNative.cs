using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Tests;

/// <summary>
/// The optional native tools the tests use (pocketsphinx through the library; flite, redis-server, dcmtk, python3
/// with pydicom as programs) are found where the library finds pocketsphinx: under the folder named by
/// <c>HYBRIDSEARCH_NATIVE_ROOT</c> when it is set (an empty folder hides them all), else as installed. A test that
/// needs one skips with the reason when it is missing, and fails instead when CI says the natives are installed
/// (<c>HYBRIDSEARCH_REQUIRE_NATIVES=1</c>, or the test's own variable such as <c>HYBRIDSEARCH_REQUIRE_POCKETSPHINX=1</c>).
/// </summary>
internal static class OptionalNative
{
    /// <summary>Makes every optional-native test required (set by <c>.ci/run</c> after installing them).</summary>
    public const string RequireAllVariable = "HYBRIDSEARCH_REQUIRE_NATIVES";

    /// <summary>Makes the pocketsphinx and flite tests required.</summary>
    public const string RequirePocketSphinxVariable = "HYBRIDSEARCH_REQUIRE_POCKETSPHINX";

    /// <summary>The full path of a program: under the lookup root's <c>usr/local/bin</c>, <c>usr/bin</c>, <c>bin</c>
    /// when a root is set, else on <c>PATH</c>; null when absent.</summary>
    public static string? FindExecutable(string name)
    {
        var root = NativeLookupRoot.FromEnvironment();
        var folders = root.Folder is null
            ? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : ["/usr/local/bin", "/usr/bin", "/bin"];
        return folders.Select(folder => root.ResolvePath(Path.Join(folder, name))).FirstOrDefault(File.Exists);
    }

    /// <summary>Skips the test when <paramref name="missing"/> is not null, or fails it when the natives are
    /// required (<see cref="RequireAllVariable"/> or <paramref name="requireVariable"/> is 1).</summary>
    public static void SkipIfMissing(string? missing, string requireVariable)
    {
        if (missing is null)
        {
            return;
        }

        var required = new[] { RequireAllVariable, requireVariable }.FirstOrDefault(name => Environment.GetEnvironmentVariable(name) == "1");
        Assert.False(required is not null, $"{required}=1 but {missing}");
        Skip.If(true, missing);
    }
}
