using HybridSearch.Cli.Demo;
using HybridSearch.Cli.Querying;

namespace HybridSearch.Tests.Cli;

/// <summary>The demo is sane: <c>hybridsearch demo</c> builds the demo index from <c>data/demo</c> with the default
/// models (ResNet18, MiniLM, .srt sidecars — no pocketsphinx needed) and every showcase query finds its expected ids
/// within <c>expectedWithinTop</c> (and, for spoken hits, the expected segment times).</summary>
[Collection(CliCollection.Name)]
public sealed class DemoShowcaseTests
{
    [Fact]
    public async Task DemoBuildsItsIndexAndEveryShowcaseQueryFindsItsExpectedRecords()
    {
        using var cache = new TempDirectory();
        var run = await CliRun.RunAsync("demo", "--cache", cache.Path);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("building the demo index", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("MISSING", run.Out, StringComparison.Ordinal);

        var showcase = ShowcaseReader.Read(DemoDataLocator.FindShowcase());
        Assert.True(showcase.Queries.Count >= 15, $"only {showcase.Queries.Count} showcase queries");
        var indexPath = DemoIndexCache.IndexFolder(cache.Path, showcase.ManifestPath);
        Assert.True(Directory.Exists(indexPath), indexPath);
        using var session = SearchSession.Open(indexPath, [.. showcase.Queries.Select(q => ShowcaseRunner.ToRequest(q))]);
        var problems = new List<string>();
        foreach (var query in showcase.Queries)
        {
            var outcome = await ShowcaseRunner.RunAsync(session, query);
            if (!outcome.Passed)
            {
                var top = string.Join(", ", outcome.Results.Hits.Select(hit => hit.RecordId));
                problems.Add($"{query.Name}: missing [{string.Join(", ", outcome.MissingIds)}] unexpected [{string.Join(", ", outcome.UnexpectedIds)}] time [{outcome.TimeProblem}] top: {top}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // A second run reuses the cached index instead of rebuilding it.
        var second = await CliRun.RunAsync("demo", "--cache", cache.Path, "--top", "1");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("using the cached demo index", second.Out, StringComparison.Ordinal);
        Assert.Contains($"all {showcase.Queries.Count} queries found their expected records", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheFolderChangesWhenAReferencedFileChanges()
    {
        using var temp = new TempDirectory();
        var manifest = temp.Combine("manifest.jsonl");
        File.WriteAllText(temp.Combine("a.txt"), "first");
        File.WriteAllText(temp.Combine("a.srt"), "1\n00:00:00,000 --> 00:00:01,000\nhello\n");
        File.WriteAllBytes(temp.Combine("a.wav"), [1, 2, 3]);
        File.WriteAllText(manifest, """{"id":"r1","title":"t","audio":[{"path":"a.wav","transcript":"a.srt"}]}""" + "\n");
        var first = DemoIndexCache.IndexFolder(temp.Path, manifest);
        Assert.Equal(first, DemoIndexCache.IndexFolder(temp.Path, manifest));
        File.WriteAllText(temp.Combine("a.srt"), "1\n00:00:00,000 --> 00:00:01,000\nhello again\n");
        var afterTranscriptChange = DemoIndexCache.IndexFolder(temp.Path, manifest);
        Assert.NotEqual(first, afterTranscriptChange);
        File.WriteAllText(temp.Combine("a.txt"), "unreferenced files do not matter");
        Assert.Equal(afterTranscriptChange, DemoIndexCache.IndexFolder(temp.Path, manifest));
    }

    [Fact]
    public void ShowcaseReaderResolvesPathsAndFilters()
    {
        var showcase = ShowcaseReader.Read(DemoDataLocator.FindShowcase());
        Assert.True(File.Exists(showcase.ManifestPath));
        Assert.All(showcase.Queries.SelectMany(q => q.Images), image => Assert.True(File.Exists(image), image));
        var ranged = showcase.Queries.Single(q => q.Name == "patients-age-and-date");
        Assert.Contains(new FilterCondition("age", FilterOperator.AtLeast, "60"), ranged.Filters);
        Assert.Contains(new FilterCondition("seen", FilterOperator.AtMost, "2024-12-31"), ranged.Filters);
        Assert.True(ranged.ExpectedExactly);
    }
}
