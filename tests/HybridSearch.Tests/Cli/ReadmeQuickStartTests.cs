using HybridSearch.Cli.Demo;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Querying;

namespace HybridSearch.Tests.Cli;

/// <summary>The C# quick start in README.md is this test's code, verbatim: the test checks the README's snippet
/// against the marked region below and runs it (on the demo's fruit records, so it is quick).</summary>
[Collection(CliCollection.Name)]
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public void ReadmeQuickStartIsTheCodeThisTestRuns()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(DemoDataLocator.FindShowcase())))!;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var start = readme.IndexOf("```csharp\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no ```csharp block");
        var end = readme.IndexOf("```", start + 10, StringComparison.Ordinal);
        var snippet = Normalize(readme[(start + 10)..end]);

        var source = File.ReadAllText(Path.Combine(root, "tests", "HybridSearch.Tests", "Cli", "ReadmeQuickStartTests.cs"));
        var region = source[(source.LastIndexOf("// README quick start: begin", StringComparison.Ordinal) + "// README quick start: begin".Length)..source.LastIndexOf("// README quick start: end", StringComparison.Ordinal)];
        Assert.Equal(Normalize(region), snippet);
    }

    [Fact]
    public async Task ReadmeQuickStartRuns()
    {
        using var temp = new TempDirectory();
        var demo = Path.GetDirectoryName(DemoDataLocator.FindShowcase())!;
        // The fruit records of the demo manifest, with their images copied beside it (a manifest's paths must stay
        // inside its folder).
        var fruit = File.ReadLines(Path.Combine(demo, "manifest.jsonl"))
            .Where(line => line.Contains("\"prod-fruit-", StringComparison.Ordinal))
            .ToList();
        File.WriteAllLines(temp.Combine("manifest.jsonl"), fruit);
        foreach (var image in fruit.SelectMany(line => System.Text.RegularExpressions.Regex.Matches(line, "\"(img/[^\"]+)\"").Select(match => match.Groups[1].Value)))
        {
            var target = temp.Combine("data", "demo", image);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(demo, image), target, overwrite: true);
        }

        var previous = Directory.GetCurrentDirectory();
        Directory.CreateDirectory(temp.Combine("data", "demo", "queries"));
        File.Copy(Path.Combine(demo, "queries", "fruit-cartoon-apple.png"), temp.Combine("data", "demo", "queries", "fruit-cartoon-apple.png"));
        File.Move(temp.Combine("manifest.jsonl"), temp.Combine("data", "demo", "manifest.jsonl"));
        var output = new StringWriter();
        var console = Console.Out;
        Directory.SetCurrentDirectory(temp.Path);
        Console.SetOut(output);
        try
        {
            await QuickStart();
        }
        finally
        {
            Console.SetOut(console);
            Directory.SetCurrentDirectory(previous);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Six fruit records cost at most 0.50 (01, 03, 05 are apples; 06-08 a banana, a lemon, an orange): a page of 5,
        // the three cheap apples first (found by all three legs), and never the 0.55/0.60 apples.
        Assert.Equal(5, lines.Length);
        Assert.Equal(["prod-fruit-01", "prod-fruit-03", "prod-fruit-05"], lines.Take(3).Select(line => line.Split(' ')[1]).Order().ToList());
        Assert.All(lines.Take(3), line => Assert.Contains("Lexical #", line, StringComparison.Ordinal));
        Assert.All(lines.Take(3), line => Assert.Contains("Visual #", line, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("prod-fruit-02", StringComparison.Ordinal) || line.Contains("prod-fruit-04", StringComparison.Ordinal));
    }

    private static async Task QuickStart()
    {
        // README quick start: begin
        // Index a manifest with the default models (ResNet18 images, MiniLM text, .srt/.vtt sidecar transcripts).
        using var pipeline = new IngestionPipeline();
        using (var index = HybridIndex.Open("my-index", pipeline.CreateIndexOptions()))
        {
            var summary = await pipeline.RunAsync(new ManifestReader("data/demo/manifest.jsonl"), index);
            foreach (var failure in summary.Failures)
            {
                Console.Error.WriteLine(failure); // path:line: reason
            }
        }

        // Search with text, an example image and filters; the legs are fused (bounded-score fusion by default).
        using var searchIndex = HybridIndex.OpenReadOnly("my-index");
        var searcher = new HybridSearcher(searchIndex, pipeline.TextEmbedder, pipeline.ImageEmbedder);
        var results = await searcher.SearchAsync(
            HybridQuery.ForText("red apple")
                .WithImage(QueryImage.FromFile("data/demo/queries/fruit-cartoon-apple.png"))
                .WithFilter(SearchFilter.None.WithKeyword("category", "fruit").WithNumberRange("price", min: null, max: 0.5)),
            HybridSearchOptions.Default.WithPage(offset: 0, pageSize: 5));
        foreach (var hit in results.Hits)
        {
            var legs = string.Join(", ", hit.Legs.Select(leg => $"{leg.Leg} #{leg.Rank}"));
            Console.WriteLine($"{hit.Rank}. {hit.RecordId} {hit.Score:F4} [{legs}] {hit.BestMedia?.Path}");
        }

        // README quick start: end
    }

    /// <summary>Lines trimmed of the region's indentation, blank lines at the ends dropped.</summary>
    private static string Normalize(string code)
    {
        var lines = code.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(line => line.Trim().Length > 0).Min(line => line.Length - line.TrimStart().Length);
        return string.Join('\n', lines.Select(line => line.Length >= indent ? line[indent..].TrimEnd() : line.Trim()));
    }
}
