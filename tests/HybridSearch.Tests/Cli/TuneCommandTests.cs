using System.Text.Json;
using HybridSearch.Fusion;
using HybridSearch.Indexing;

namespace HybridSearch.Tests.Cli;

/// <summary>
/// <c>hybridsearch tune</c> on a copy of a small real index (<see cref="TuneIndexFixture"/>): fit, store in the index, reopen,
/// and later searches use the stored profile unless <c>--profile default</c>.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class TuneCommandTests(TuneIndexFixture fixture) : IClassFixture<TuneIndexFixture>, IDisposable
{
    private static string[] Topics => TuneIndexFixture.Topics;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteJudged(int count, bool withUnknownId = false)
    {
        var path = _temp.Combine($"judged-{count}.jsonl");
        File.WriteAllLines(path, Topics.Take(count).Select((topic, i) => JsonSerializer.Serialize(new
        {
            id = $"q{i}",
            text = $"{topic} article",
            relevant = withUnknownId && i == 2 ? new[] { $"rec-{i}", "no-such-record" } : [$"rec-{i}"],
        })));
        return path;
    }

    [Fact]
    public async Task TuneFitsStoresTheProfileInTheIndexAndSearchUsesIt()
    {
        var index = fixture.CopyIndex(_temp);
        var profileFile = _temp.Combine("profile.json");

        var run = await CliRun.RunAsync("tune", "--index", index, "--queries", WriteJudged(24, withUnknownId: true), "--folds", "3", "--out", profileFile, "--metric", "ndcg_at_10");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(run.ErrorLines, line => line.Contains(":3:", StringComparison.Ordinal) && line.Contains("'no-such-record'", StringComparison.Ordinal));
        Assert.Contains("ranked the legs of 24/24 judged queries", run.ErrorLines);
        Assert.Contains(run.ErrorLines, line => line.StartsWith("fitting fusion to 24 judged queries: 3 folds", StringComparison.Ordinal));
        Assert.Equal(["fitted fold 1/3", "fitted fold 2/3", "fitted fold 3/3"], run.ErrorLines.Where(l => l.StartsWith("fitted fold", StringComparison.Ordinal)).Select(l => l[..15]));
        using var summary = JsonDocument.Parse(run.OutLines[^1]);
        var root = summary.RootElement;
        Assert.Equal(["queries", "folds", "metric", "default", "fitted", "per_fold", "profile"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(24, root.GetProperty("queries").GetInt32());
        Assert.Equal(3, root.GetProperty("folds").GetInt32());
        Assert.Equal("ndcg_at_10", root.GetProperty("metric").GetString());
        Assert.Equal(3, root.GetProperty("per_fold").GetArrayLength());
        Assert.InRange(root.GetProperty("fitted").GetDouble(), 0, 1);
        Assert.Equal(3, run.OutLines.Count(line => line.StartsWith("fold ", StringComparison.Ordinal)));

        // Stored in the index and committed: a fresh reader sees the same profile as printed and written.
        var printed = FusionProfile.FromJson(root.GetProperty("profile").GetRawText());
        using (var reopened = HybridIndex.OpenReadOnly(index))
        {
            Assert.Equal(printed, FusionProfile.FromJson(reopened.FusionProfileJson!));
        }

        Assert.Equal(printed, FusionProfile.FromJson(File.ReadAllText(profileFile)));
        var stats = await CliRun.RunAsync("stats", "--index", index, "--json");
        Assert.Equal(printed, FusionProfile.FromJson(JsonDocument.Parse(stats.Out).RootElement.GetProperty("fusion_profile").GetRawText()));

        // A distinctive profile stored through the library: search uses it, --profile default ignores it.
        var rrf = new FusionProfile(new FusionOptions { Method = FusionMethod.ReciprocalRank, RrfK = 5 }, new Dictionary<string, float> { ["SemanticText"] = 0 }, new Dictionary<string, float>());
        using (var writable = HybridIndex.Open(index))
        {
            writable.SaveFusionProfileJson(rrf.ToJson());
        }

        var used = await CliRun.RunAsync("search", "--index", index, "--text", "volcano", "--json", "--explain");
        var fusion = JsonDocument.Parse(used.Out).RootElement.GetProperty("fusion");
        Assert.Equal("ReciprocalRank", fusion.GetProperty("method").GetString());
        Assert.Equal(0, fusion.GetProperty("legs").GetProperty("semantic_text").GetProperty("weight").GetDouble());
        var hits = JsonDocument.Parse(used.Out).RootElement.GetProperty("hits");
        Assert.Equal("rec-1", hits[0].GetProperty("id").GetString());
        Assert.Equal(1.0 / (5 + 1), hits[0].GetProperty("score").GetDouble(), 6); // lexical alone: 1 / (k + 1)

        var ignored = await CliRun.RunAsync("search", "--index", index, "--text", "volcano", "--json", "--explain", "--profile", "default");
        Assert.Equal("BoundedScore", JsonDocument.Parse(ignored.Out).RootElement.GetProperty("fusion").GetProperty("method").GetString());
    }

    [Fact]
    public async Task FewerThanTwentyJudgedQueriesIsAnErrorNamingTheCount()
    {
        var index = fixture.CopyIndex(_temp);

        var run = await CliRun.RunAsync("tune", "--index", index, "--queries", WriteJudged(12));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("12 judged queries", run.Error, StringComparison.Ordinal);
        using var reopened = HybridIndex.OpenReadOnly(index);
        Assert.Null(reopened.FusionProfileJson);
    }

    [Fact]
    public async Task AJudgedLineWithoutRelevantIsAnErrorNamingTheLine()
    {
        var index = fixture.CopyIndex(_temp);
        var path = _temp.Combine("bad.jsonl");
        File.WriteAllLines(path, ["""{"id":"q1","text":"volcano","relevant":["rec-1"]}""", """{"id":"q2","text":"banana"}"""]);

        var run = await CliRun.RunAsync("tune", "--index", index, "--queries", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad.jsonl:2", run.Error, StringComparison.Ordinal);
        Assert.Contains("relevant", run.Error, StringComparison.Ordinal);
    }
}
