using HybridSearch.Tests.Ingestion;

namespace HybridSearch.Tests.Cli;

/// <summary><c>hybridsearch index</c> on the bad-input corpus and on hostile paths, end to end through the command.</summary>
[Collection(CliCollection.Name)]
public sealed class CliBadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task IndexingTheBadInputCorpusExits2ListingEveryBadItemAndIndexesEveryGoodRecord()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the corpus has a FIFO and a link to /dev/zero");
        var corpus = BadInputCorpus.Write(_temp.Path);

        var run = await CliRun.RunAsync("index", "--index", _temp.Combine("index"), "--manifest", corpus.Manifest).WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Error}");
        var indexed = corpus.GoodIds.Count + corpus.IndexedWithProblems.Count;
        Assert.Contains($"indexed {indexed} of {corpus.Items} items", run.Out, StringComparison.Ordinal);
        Assert.Contains($"failed items ({corpus.Failures.Count}):", run.Out, StringComparison.Ordinal);
        foreach (var failure in corpus.Failures)
        {
            var where = failure.Line is { } line ? $"{failure.Path}:{line}: " : $"{failure.Path}: ";
            Assert.Contains(run.OutLines, outLine => outLine.StartsWith(where, StringComparison.Ordinal) && outLine.Contains(failure.Reason, StringComparison.Ordinal));
        }

        var stats = await CliRun.RunAsync("stats", "--index", _temp.Combine("index"), "--json");
        Assert.Equal(0, stats.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(stats.Out);
        Assert.Equal(indexed, json.RootElement.GetProperty("records").GetInt32());

        var clean = await CliRun.RunAsync("index", "--index", _temp.Combine("clean-index"), "--manifest", corpus.CleanManifest);
        Assert.True(clean.ExitCode == 0, clean.Out + clean.Error);
    }

    [Fact]
    public async Task AllowPathLetsAManifestReachOneMoreDirectory()
    {
        Directory.CreateDirectory(_temp.Combine("shared"));
        Directory.CreateDirectory(_temp.Combine("m"));
        File.WriteAllText(_temp.Combine("shared", "notes.srt"), "1\n00:00:00,000 --> 00:00:01,000\nshared words\n");
        File.WriteAllBytes(_temp.Combine("m", "clip.wav"), IngestionFixtures.WavWithFormat(1, 1, 8000, 8000, 1, 8, dataBytes: 8000));
        var manifest = _temp.Combine("m", "records.jsonl");
        File.WriteAllText(manifest, """{"id":"clip","title":"Clip","audio":[{"path":"clip.wav","transcript":"../shared/notes.srt"}]}""" + "\n");

        var confined = await CliRun.RunAsync("index", "--index", _temp.Combine("index-1"), "--manifest", manifest);
        Assert.Equal(2, confined.ExitCode);
        Assert.Contains("'audio[0].transcript' path '../shared/notes.srt'", confined.Out, StringComparison.Ordinal);
        Assert.Contains("is outside the folder", confined.Out, StringComparison.Ordinal);

        var allowed = await CliRun.RunAsync("index", "--index", _temp.Combine("index-2"), "--manifest", manifest, "--allow-path", _temp.Combine("shared"));
        Assert.True(allowed.ExitCode == 0, allowed.Out + allowed.Error);

        var missing = await CliRun.RunAsync("index", "--index", _temp.Combine("index-3"), "--manifest", manifest, "--allow-path", _temp.Combine("nowhere"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--allow-path", missing.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AFifoOrDeviceAsManifestOrQueryImageIsAOneLineUserErrorAtOnce()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs and /dev/zero are tested on Linux");
        using var fixtures = new IngestionFixtures();
        var fifo = fixtures.MakeFifo("pipe.jsonl");

        var manifest = await CliRun.RunAsync("index", "--index", _temp.Combine("index"), "--manifest", fifo).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, manifest.ExitCode);
        Assert.Contains("is a FIFO (named pipe), not a regular file", Assert.Single(manifest.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("index")));

        var device = await CliRun.RunAsync("index", "--index", _temp.Combine("index"), "--manifest", "/dev/zero").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, device.ExitCode);
        Assert.Contains("is a character device", device.Error, StringComparison.Ordinal);

        var image = await CliRun.RunAsync("search", "--index", _temp.Combine("index"), "--image", fixtures.MakeFifo("pipe.png")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, image.ExitCode);
        Assert.Contains("is a FIFO (named pipe), not a regular file", image.Error, StringComparison.Ordinal);

        var queries = fixtures.WriteText("queries.jsonl", $$"""{"id":"q","images":["{{fixtures.MakeFifo("q.png")}}"]}""" + "\n");
        Directory.CreateDirectory(_temp.Combine("empty"));
        var batch = await CliRun.RunAsync("search", "--index", _temp.Combine("empty"), "--queries", queries).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, batch.ExitCode);
        Assert.Contains("queries.jsonl:1: query image", batch.Error, StringComparison.Ordinal);
        Assert.Contains("is a FIFO (named pipe)", batch.Error, StringComparison.Ordinal);
    }
}
