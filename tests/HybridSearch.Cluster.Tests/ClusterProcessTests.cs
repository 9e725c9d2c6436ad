using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace HybridSearch.Cluster.Tests;

/// <summary>
/// The README's three-silo walkthrough with real processes: redis-server for membership, three `hybridsearch silo`
/// processes sharing one data folder, `index`, `search`, `tune`, `stats` and `rebalance` with --cluster. The cluster answers (and
/// tunes) as a single index over the same manifest does; a silo killed with SIGKILL loses nothing, and its shards come back;
/// after a silo starts again, `rebalance` puts one shard on each silo again.
/// Needs redis-server (skipped with the reason when absent; required with HYBRIDSEARCH_REQUIRE_NATIVES=1 or
/// HYBRIDSEARCH_REQUIRE_REDIS=1).
/// </summary>
public sealed class ClusterProcessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hybridsearch-cluster-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [SkippableFact]
    public async Task ThreeSiloProcessesAnswerAsASingleIndexAndSurviveAKill()
    {
        var redis = FindExecutable("redis-server");
        SkipIfMissing(redis is null ? "redis-server is not installed (apt-get install redis-server)" : null);
        Directory.CreateDirectory(_root);
        var redisPort = FreePort();
        Start(redis!, $"--port {redisPort} --save '' --appendonly no --bind 127.0.0.1");
        var url = $"redis://127.0.0.1:{redisPort}";
        var data = Path.Combine(_root, "data");
        var silos = new List<Process>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(Start("dotnet", $"{Cli} silo --data {data} --cluster {url} --port {FreePort()} --gateway-port {FreePort()}"));
        }

        // Scripts poll `stats --cluster` until the cluster answers; then until all three silos are live.
        await WaitForAsync(async () => await RunAsync($"stats --cluster {url} --json") is { Exit: 0 } answer
            && JsonDocument.Parse(answer.Output).RootElement.GetProperty("silos").GetArrayLength() == 3, "three live silos");

        var manifest = WriteManifest();
        var indexed = await RunAsync($"index --cluster {url} --index papers --shards 3 --manifest {manifest}");
        Assert.True(indexed.Exit == 0, indexed.Output + indexed.Error);
        // `stats --cluster --index` names each shard's silo as `stats --cluster` names the live silos: the shard
        // placement gives each of the three silos one of the three shards (so the kill below takes one away).
        var liveSilos = await LiveSilosAsync(url);
        Assert.Equal(liveSilos, (await ShardOwnersAsync(url)).Order(StringComparer.Ordinal));
        var single = Path.Combine(_root, "single");
        var local = await RunAsync($"index --index {single} --manifest {manifest}");
        Assert.True(local.Exit == 0, local.Output + local.Error);

        foreach (var text in new[] { "heart pressure", "wing flow boundary" })
        {
            var expected = Hits((await RunAsync($"search --index {single} --text \"{text}\" --json")).Output);
            var actual = await RunAsync($"search --cluster {url} --index papers --text \"{text}\" --json");
            Assert.True(actual.Exit == 0, actual.Error);
            Assert.False(actual.Output.Contains("\"partial\"", StringComparison.Ordinal), actual.Output);
            var hits = Hits(actual.Output);
            Assert.Equal(expected.Select(h => h.Id), hits.Select(h => h.Id));
            foreach (var (e, a) in expected.Zip(hits))
            {
                Assert.True(Math.Abs(e.Score - a.Score) <= 1e-4 * Math.Abs(e.Score), $"{text} {e.Id}: {e.Score} vs {a.Score}");
            }
        }

        // `tune --cluster` fits on the cluster's legs exactly as on the single index (same legs, same fit), says what it
        // is doing on standard error, and keeps the profile in the catalogue, where `stats --cluster` shows it.
        var judged = WriteJudged(manifest);
        var tunedSingle = await RunAsync($"tune --index {single} --queries {judged} --folds 3");
        Assert.True(tunedSingle.Exit == 0, tunedSingle.Output + tunedSingle.Error);
        var tuned = await RunAsync($"tune --cluster {url} --index papers --queries {judged} --folds 3");
        Assert.True(tuned.Exit == 0, tuned.Output + tuned.Error);
        Assert.Contains("ranked the legs of 24/24 judged queries", tuned.Error, StringComparison.Ordinal);
        var summary = JsonDocument.Parse(LastLine(tuned.Output)).RootElement;
        var summarySingle = JsonDocument.Parse(LastLine(tunedSingle.Output)).RootElement;
        Assert.Equal(24, summary.GetProperty("queries").GetInt32());
        foreach (var figure in new[] { "default", "fitted" })
        {
            Assert.Equal(summarySingle.GetProperty(figure).GetDouble(), summary.GetProperty(figure).GetDouble());
        }

        Assert.Equal(summarySingle.GetProperty("profile").GetRawText(), summary.GetProperty("profile").GetRawText());
        var catalogued = await RunAsync($"stats --cluster {url} --index papers --json");
        Assert.Equal(summary.GetProperty("profile").GetRawText(), JsonDocument.Parse(catalogued.Output).RootElement.GetProperty("fusion_profile").GetRawText());

        // SIGKILL one silo: every search still exits 0 (partial or whole) and the killed silo's shards come back.
        silos[0].Kill();
        silos[0].WaitForExit();
        var whole = false;
        var deadline = Stopwatch.StartNew();
        while (!whole && deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            var result = await RunAsync($"search --cluster {url} --index papers --text \"heart pressure\" --json");
            Assert.True(result.Exit == 0, result.Error);
            whole = !result.Output.Contains("\"partial\":true", StringComparison.Ordinal);
        }

        Assert.True(whole, "the killed silo's shards did not come back");
        var stats = await RunAsync($"stats --cluster {url} --index papers --json");
        Assert.Equal(30, JsonDocument.Parse(stats.Output).RootElement.GetProperty("records").GetInt32());
        // Its shard was taken over by one of the two survivors.
        var survivors = await LiveSilosAsync(url);
        Assert.Equal(2, survivors.Count);
        Assert.All(await ShardOwnersAsync(url), owner => Assert.Contains(owner, survivors));

        // A silo started again takes no shard until `rebalance --cluster` moves shards to the rule's silos over the
        // three live silos: one shard per silo again, every record there, the same answers.
        silos.Add(Start("dotnet", $"{Cli} silo --data {data} --cluster {url} --port {FreePort()} --gateway-port {FreePort()}"));
        await WaitForAsync(async () => (await LiveSilosAsync(url)).Count == 3, "the restarted silo");
        var rebalanced = await RunAsync($"rebalance --cluster {url} --index papers --timeout 120 --json");
        Assert.True(rebalanced.Exit == 0, rebalanced.Output + rebalanced.Error);
        var moves = JsonDocument.Parse(rebalanced.Output).RootElement.GetProperty("moves").EnumerateArray().ToList();
        Assert.NotEmpty(moves);
        Assert.All(moves, m => Assert.True(m.GetProperty("moved").GetBoolean(), m.GetRawText()));
        var rejoined = await LiveSilosAsync(url);
        Assert.Equal(rejoined, (await ShardOwnersAsync(url)).Order(StringComparer.Ordinal));
        var afterRebalance = await RunAsync($"stats --cluster {url} --index papers --json");
        Assert.Equal(30, JsonDocument.Parse(afterRebalance.Output).RootElement.GetProperty("records").GetInt32());
        var expectedAfter = Hits((await RunAsync($"search --index {single} --text \"heart pressure\" --json")).Output);
        var actualAfter = await RunAsync($"search --cluster {url} --index papers --text \"heart pressure\" --json");
        Assert.False(actualAfter.Output.Contains("\"partial\"", StringComparison.Ordinal), actualAfter.Output);
        Assert.Equal(expectedAfter.Select(h => h.Id), Hits(actualAfter.Output).Select(h => h.Id));
        var balanced = await RunAsync($"rebalance --cluster {url} --index papers");
        Assert.True(balanced.Exit == 0, balanced.Output + balanced.Error);
        Assert.Contains("is balanced", balanced.Output, StringComparison.Ordinal);
        var unknown = await RunAsync($"rebalance --cluster {url} --index nope");
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("error: index 'nope'", unknown.Error, StringComparison.Ordinal);
    }

    /// <summary>The live silos `stats --cluster --json` lists, in order.</summary>
    private static async Task<List<string>> LiveSilosAsync(string url)
    {
        var answer = await RunAsync($"stats --cluster {url} --json");
        Assert.True(answer.Exit == 0, answer.Error);
        return JsonDocument.Parse(answer.Output).RootElement.GetProperty("silos").EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The silo of each shard of "papers" as `stats --cluster --index papers --json` gives it.</summary>
    private static async Task<List<string>> ShardOwnersAsync(string url)
    {
        var answer = await RunAsync($"stats --cluster {url} --index papers --json");
        Assert.True(answer.Exit == 0, answer.Error);
        return JsonDocument.Parse(answer.Output).RootElement.GetProperty("shard_stats").EnumerateArray().Select(s => s.GetProperty("silo").GetString()!).ToList();
    }

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "HybridSearch.Cli.dll");

    private string WriteManifest()
    {
        var words = new[] { "heart", "pressure", "blood", "wing", "flow", "boundary", "layer", "library", "catalogue", "search", "cell", "growth" };
        var random = new Random(3);
        var path = Path.Combine(_root, "manifest.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 30).Select(i => JsonSerializer.Serialize(new
        {
            id = $"doc-{i:D2}",
            title = $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]}",
            text = string.Join(' ', Enumerable.Range(0, 8 + random.Next(20)).Select(_ => words[random.Next(words.Length)])),
        })));
        return path;
    }

    /// <summary>24 judged queries: each of the first 24 records' title as the text, that record as the one relevant.</summary>
    private string WriteJudged(string manifest)
    {
        var path = Path.Combine(_root, "judged.jsonl");
        File.WriteAllLines(path, File.ReadLines(manifest).Take(24).Select(line => JsonDocument.Parse(line).RootElement).Select(record => JsonSerializer.Serialize(new
        {
            id = "q-" + record.GetProperty("id").GetString(),
            text = record.GetProperty("title").GetString(),
            relevant = new[] { record.GetProperty("id").GetString() },
        })));
        return path;
    }

    private static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    private static List<(string Id, double Score)> Hits(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("id").GetString()!, h.GetProperty("score").GetDouble())).ToList();

    private Process Start(string program, string arguments)
    {
        var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"{Cli} {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"timed out waiting for {what}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>As tests/HybridSearch.Tests/OptionalNative.cs: a program on PATH, or null.</summary>
    private static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("HYBRIDSEARCH_NATIVE_ROOT") is { Length: > 0 } root
            ? new[] { "/usr/local/bin", "/usr/bin", "/bin" }.Select(f => Path.Join(root, f, name))
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(f => Path.Join(f, name)))
        .FirstOrDefault(File.Exists);

    private static void SkipIfMissing(string? missing)
    {
        if (missing is null)
        {
            return;
        }

        var required = new[] { "HYBRIDSEARCH_REQUIRE_NATIVES", "HYBRIDSEARCH_REQUIRE_REDIS" }.FirstOrDefault(n => Environment.GetEnvironmentVariable(n) == "1");
        Assert.False(required is not null, $"{required}=1 but {missing}");
        Skip.If(true, missing);
    }
}
