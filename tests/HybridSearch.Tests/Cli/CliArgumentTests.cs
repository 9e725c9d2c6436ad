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
    public async Task Search_without_index_is_a_one_line_user_error()
    {
        AssertUserError(await CliRun.RunAsync("search", "--text", "apple"), "'--index' is required");
    }

    [Fact]
    public async Task Search_on_a_missing_index_directory_is_a_user_error()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Combine("nope"), "--text", "apple"), "does not exist");
    }

    [Fact]
    public async Task Search_on_an_empty_directory_does_not_create_an_index()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("stats", "--index", temp.Path), "holds no HybridSearch index");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Index_with_a_missing_manifest_is_a_user_error()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("index", "--index", temp.Combine("idx"), "--manifest", temp.Combine("missing.jsonl")), "manifest");
        Assert.False(Directory.Exists(temp.Combine("idx")));
    }

    [Fact]
    public async Task Index_needs_exactly_one_source()
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
    public async Task Unknown_filter_syntax_is_a_user_error(string filter)
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
    public async Task Bad_fusion_options_are_user_errors(string option, string value, string expected)
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--text", "x", option, value), expected);
    }

    [Theory]
    [InlineData("0", "--top must be from 1")]
    [InlineData("-3", "--top must be from 1")]
    [InlineData("100000", "--top must be from 1")]
    [InlineData("abc", "Cannot parse argument 'abc'")]
    public async Task Bad_top_is_a_user_error(string top, string expected)
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--text", "x", "--top", top), expected);
    }

    [Fact]
    public async Task Search_needs_something_to_search_for()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path), "give --text, --image or --queries");
    }

    [Fact]
    public async Task Batch_mode_excludes_single_query_options()
    {
        using var temp = new TempDirectory();
        AssertUserError(await CliRun.RunAsync("search", "--index", temp.Path, "--queries", "q.jsonl", "--text", "x"), "--queries cannot be combined");
    }

    [Fact]
    public async Task Unknown_command_and_no_command_are_user_errors()
    {
        AssertUserError(await CliRun.RunAsync("frobnicate"), "'frobnicate'");
        AssertUserError(await CliRun.RunAsync(), "no command given");
    }

    [Fact]
    public async Task Model_options_name_the_bad_file()
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
    public async Task Delete_needs_an_id()
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
    public async Task Every_command_has_help(string command)
    {
        var run = await CliRun.RunAsync(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains(command, run.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Root_help_lists_the_commands()
    {
        var run = await CliRun.RunAsync("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "index", "search", "stats", "delete", "demo" })
        {
            Assert.Contains(command, run.Out, StringComparison.Ordinal);
        }
    }
}
