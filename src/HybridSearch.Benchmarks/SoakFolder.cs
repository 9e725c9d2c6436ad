namespace HybridSearch.Benchmarks;

/// <summary>A fresh temporary folder for one soak run (the index and the writer's deletion log), deleted afterwards.</summary>
internal sealed class SoakFolder : IDisposable
{
    public SoakFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hybridsearch-soak-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string IndexPath => System.IO.Path.Combine(Path, "index");

    public string DeletionLogPath => System.IO.Path.Combine(Path, "deletions.log");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
