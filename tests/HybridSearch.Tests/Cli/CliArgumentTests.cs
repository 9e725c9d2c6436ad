namespace HybridSearch.Tests.Cli;

/// <summary>Argument validation and exit codes of user errors: one line on stderr, exit code 1, no stack trace.
/// None of these cases loads a model.</summary>
[Collection(CliCollection.Name)]
public sealed class CliArgumentTests
{
    private static void AssertUserError(CliRun run, string expectedFragment)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(expectedFragment, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task SearchWithoutIndexIsAOneLineUserError()
    {
        AssertUserError(await CliRun.RunAsync("search", "--text", "apple"), "'--index' is required");
    }

    [Fact]
    public async Task RebalanceWithoutAClusterIsAOneLineUserError()
    {
        AssertUserError(await CliRun.RunAsync("rebalance", "--index", "demo"), "'--cluster' is required");
    }

    [Fact]
    public async Task RebalanceWithATimeoutBelowOneSecondIsAUserError()
    {
        AssertUserError(await CliRun.RunAsync("rebalance", "--cluster", "redis://127.0.0.1:6379", "--index", "demo", "--timeout", "0"), "--timeout must be from 1 to 86400, got 0.");
    }

    [Fact]
    public async Task RebalanceWithABadClusterAddressIsAUserError()
    {
        AssertUserError(await CliRun.RunAsync("rebalance", "--cluster", "http://127.0.0.1:6379", "--index", "demo"), "expected redis://HOST:PORT");
    }

    [Fact]
    public async Task SearchOnAMissingIndexDirectoryIsAUserError()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Combine("nope"), "--text", "apple"), "does not exist");
    }

    [Fact]
    public async Task SearchOnAnEmptyDirectoryDoesNotCreateAnIndex()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("stats", "--index", temp.Path), "holds no HybridSearch index");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task IndexWithAMissingManifestIsAUserError()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Combine("idx"), "--manifest", temp.Combine("missing.jsonl")), "manifest");
        Assert.False(Directory.Exists(temp.Combine("idx")));
    }

    [Fact]
    public async Task IndexNeedsExactlyOneSource()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Path), "exactly one of --manifest");
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Path, "--manifest", "a.jsonl", "--folder", "b"), "exactly one of --manifest");
    }

    [Theory]
    [InlineData("price~3")]
    [InlineData("price>3")]
    [InlineData("=3")]
    [InlineData("price=")]
    [InlineData("price")]
    public async Task UnknownFilterSyntaxIsAUserError(string filter)
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--text", "x", "--filter", filter), $"filter '{filter}'");
    }

    [Theory]
    [InlineData("--weight", "colour=2", "no leg 'colour'")]
    [InlineData("--weight", "visual=-1", "is not a finite number >= 0")]
    [InlineData("--weight", "visual", "expected LEG=NUMBER")]
    [InlineData("--min-score", "lexical=high", "is not a finite number")]
    [InlineData("--fusion", "borda", "borda")]
    [InlineData("--window", "0", "--window must be from 1")]
    [InlineData("--rrf-k", "-5", "--rrf-k must be a finite number >= 0")]
    public async Task BadFusionOptionsAreUserErrors(string option, string value, string expected)
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--text", "x", option, value), expected);
    }

    [Theory]
    [InlineData("0", "--top must be from 1")]
    [InlineData("-3", "--top must be from 1")]
    [InlineData("100000", "--top must be from 1")]
    [InlineData("abc", "Cannot parse argument 'abc'")]
    public async Task BadTopIsAUserError(string top, string expected)
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--text", "x", "--top", top), expected);
    }

    [Fact]
    public async Task SearchNeedsSomethingToSearchFor()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path), "give --text, --image or --queries");
    }

    [Fact]
    public async Task BatchModeExcludesSingleQueryOptions()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--queries", "q.jsonl", "--text", "x"), "--queries cannot be combined");
    }

    [Fact]
    public async Task UnknownCommandAndNoCommandAreUserErrors()
    {
        AssertUserError(await CliRun.RunAsync("frobnicate"), "'frobnicate'");
        AssertUserError(await CliRun.RunAsync(), "no command given");
    }

    [Fact]
    public async Task ModelOptionsNameTheBadFile()
    {
        using var temp = new TempDirectory();
        var manifest = temp.Combine("manifest.jsonl");
        File.WriteAllText(manifest, """{"id":"a","title":"t"}""" + "\n");
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Combine("idx"), "--manifest", manifest, "--clip-model", temp.Combine("no-clip")), "--clip-model: folder");
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Combine("idx"), "--manifest", manifest, "--whisper-model", temp.Combine("none.bin")), "--whisper-model: file");
        File.WriteAllText(temp.Combine("fake.bin"), "not a model");
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Combine("idx"), "--manifest", manifest, "--whisper-model", temp.Combine("fake.bin")), "not a whisper.cpp ggml model");
        Directory.CreateDirectory(temp.Combine("empty-clip"));
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Combine("idx"), "--manifest", manifest, "--clip-model", temp.Combine("empty-clip")), "--clip-model:");
    }

    [Fact]
    public async Task DeleteNeedsAnId()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("delete", "--index", temp.Path), "'--id' is required");
    }

    [Theory]
    [InlineData("index")]
    [InlineData("search")]
    [InlineData("stats")]
    [InlineData("delete")]
    [InlineData("demo")]
    public async Task EveryCommandHasHelp(string command)
    {
        var run = await CliRun.RunAsync(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains(command, run.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task RootHelpListsTheCommands()
    {
        var run = await CliRun.RunAsync("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "index", "search", "stats", "delete", "demo" })
        {
            Assert.Contains(command, run.Out, StringComparison.Ordinal);
        }
    }
}
