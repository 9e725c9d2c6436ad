using System.Text.Json;

namespace HybridSearch.Tests.Cli;

/// <summary>The small real index the tune tests start from (24 text records, MiniLM vectors), built once through
/// <c>hybridsearch index</c>; each test tunes its own copy, since tuning stores a profile in the index.</summary>
public sealed class TuneIndexFixture : IAsyncLifetime
{
    /// <summary>One record per topic (<c>rec-i</c> is about <c>Topics[i]</c>).</summary>
    public static readonly string[] Topics =
    [
        "lighthouse", "volcano", "banana", "glacier", "violin", "cactus", "submarine", "tornado", "penguin", "pyramid", "telescope", "bamboo",
        "waterfall", "harpsichord", "meteorite", "orchid", "locomotive", "coral", "windmill", "saxophone", "avalanche", "tulip", "compass", "firefly",
    ];

    private readonly TempDirectory _temp = new();

    private string IndexPath => _temp.Combine("index");

    /// <summary>Copies the built index into <paramref name="into"/> and returns the copy's folder.</summary>
    public string CopyIndex(TempDirectory into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var target = into.Combine("index");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(IndexPath))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public async Task InitializeAsync()
    {
        var manifest = _temp.Combine("manifest.jsonl");
        File.WriteAllLines(manifest, Topics.Select((topic, i) =>
            JsonSerializer.Serialize(new { id = $"rec-{i}", title = $"Notes on the {topic}", text = $"A short article about the {topic}, how it came to be and why people care about a {topic}." })));
        var run = await CliRun.RunAsync("index", "--index", IndexPath, "--manifest", manifest);
        Assert.True(run.ExitCode == 0, run.Error);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
