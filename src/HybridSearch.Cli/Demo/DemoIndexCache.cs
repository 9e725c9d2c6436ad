using System.Security.Cryptography;
using System.Text;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Sources;

namespace HybridSearch.Cli.Demo;

/// <summary>
/// Where the demo index lives: <c>$XDG_CACHE_HOME/hybridsearch/demo-&lt;hash&gt;</c> (or <c>~/.cache/...</c>), where
/// the hash covers the manifest's path and bytes, every file it references (images, audio, transcripts) and the
/// library build. A second run finds the index and skips indexing; a changed corpus or library gets a new folder.
/// </summary>
internal static class DemoIndexCache
{
    /// <summary>Bumped when the demo's indexing settings change without the library changing.</summary>
    private const string CacheFormat = "demo-cache-v1";

    /// <summary>The cache root: <paramref name="explicitRoot"/>, else <c>$XDG_CACHE_HOME/hybridsearch</c>, else
    /// <c>~/.cache/hybridsearch</c> (the local application data folder on Windows).</summary>
    public static string Root(string? explicitRoot = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "hybridsearch");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return OperatingSystem.IsWindows() || string.IsNullOrEmpty(home)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "hybridsearch")
            : Path.Combine(home, ".cache", "hybridsearch");
    }

    /// <summary>The index folder for the manifest's current content: <c>demo-&lt;first 16 hex digits of the hash&gt;</c>.</summary>
    public static string IndexFolder(string cacheRoot, string manifestPath) =>
        Path.Combine(cacheRoot, "demo-" + ComputeHash(manifestPath)[..16]);

    /// <summary>SHA-256 (hex) of the manifest's full path and bytes, the bytes of every file its records reference
    /// (in manifest order) and the library build's module version id.</summary>
    public static string ComputeHash(string manifestPath)
    {
        var full = Path.GetFullPath(manifestPath);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void AddText(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        void AddFile(string path)
        {
            AddText(path);
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                var digest = SHA256.HashData(stream);
                hash.AppendData(digest);
            }
            else
            {
                AddText("<missing>");
            }
        }

        AddText(CacheFormat);
        AddText(typeof(HybridIndex).Assembly.ManifestModule.ModuleVersionId.ToString());
        AddFile(full);
        foreach (var item in new ManifestReader(full).ReadItems())
        {
            if (item.Record is not { } record)
            {
                continue;
            }

            foreach (var image in record.Images)
            {
                AddFile(image.Path);
            }

            foreach (var audio in record.Audio)
            {
                AddFile(audio.Path);
                if (audio.TranscriptPath is not null)
                {
                    AddFile(audio.TranscriptPath);
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
