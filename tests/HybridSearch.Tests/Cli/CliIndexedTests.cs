using System.Text.Json;

namespace HybridSearch.Tests.Cli;

/// <summary>The commands on a real index built by <c>hybridsearch index</c>: the JSON output shape, batch mode,
/// stats, delete, filters, and exit code 2 when ingestion has failed items.</summary>
[Collection(CliCollection.Name)]
public sealed class CliIndexedTests(CliIndexFixture fixture) : IClassFixture<CliIndexFixture>
{
    [Fact]
    public void IndexReportsEveryRecordIndexed()
    {
        Assert.True(fixture.IndexRun.ExitCode == 0, fixture.IndexRun.Out + fixture.IndexRun.Error);
        Assert.Contains("indexed 5 of 5 items", fixture.IndexRun.Out, StringComparison.Ordinal);
        Assert.Contains("0 failed", fixture.IndexRun.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchJsonHasTheDocumentedShape()
    {
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "Fresnel lens", "--top", "2", "--json");
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.OutLines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.True(root.GetProperty("took_ms").GetDouble() >= 0);
        var hits = root.GetProperty("hits");
        Assert.Equal(2, hits.GetArrayLength());
        var first = hits[0];
        Assert.Equal("doc-lighthouse", first.GetProperty("id").GetString());
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        Assert.Equal(2, hits[1].GetProperty("rank").GetInt32());
        var legs = first.GetProperty("legs");
        var lexical = legs.GetProperty("lexical");
        Assert.Equal(1, lexical.GetProperty("rank").GetInt32());
        Assert.True(lexical.GetProperty("score").GetDouble() > 0);
        var contributions = legs.EnumerateObject().Sum(leg => leg.Value.GetProperty("contribution").GetDouble());
        Assert.Equal(first.GetProperty("score").GetDouble(), contributions, 9);
        Assert.True(first.TryGetProperty("media", out _));
        Assert.Contains("<b>", first.GetProperty("snippet").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchFusionOptionsReachTheFusedScores()
    {
        var rrf = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "Fresnel lens", "--fusion", "rrf", "--rrf-k", "10",
            "--weight", "semantic_text=2", "--json", "--explain");
        Assert.True(rrf.ExitCode == 0, rrf.Error);
        using (var json = JsonDocument.Parse(rrf.Out))
        {
            foreach (var hit in json.RootElement.GetProperty("hits").EnumerateArray())
            {
                foreach (var leg in hit.GetProperty("legs").EnumerateObject())
                {
                    // RRF: contribution = weight / (k + rank), with the weight given for the semantic leg and 1 for the others.
                    var weight = leg.Name == "semantic_text" ? 2.0 : 1.0;
                    Assert.Equal(weight, leg.Value.GetProperty("weight").GetDouble());
                    Assert.Equal(weight / (10 + leg.Value.GetProperty("rank").GetInt32()), leg.Value.GetProperty("contribution").GetDouble(), 9);
                }
            }
        }

        var plain = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "Fresnel lens", "--weight", "lexical=0",
            "--no-corroboration", "--window", "3", "--json", "--explain");
        Assert.True(plain.ExitCode == 0, plain.Error);
        using var plainJson = JsonDocument.Parse(plain.Out);
        var legs = plainJson.RootElement.GetProperty("hits").EnumerateArray().SelectMany(hit => hit.GetProperty("legs").EnumerateObject()).ToList();
        Assert.All(legs.Where(leg => leg.Name == "lexical"), leg => Assert.Equal(0.0, leg.Value.GetProperty("contribution").GetDouble()));
        Assert.All(legs.Where(leg => leg.Name != "lexical"), leg => Assert.Equal(1.0, leg.Value.GetProperty("weight").GetDouble()));
        Assert.All(legs, leg => Assert.InRange(leg.Value.GetProperty("rank").GetInt32(), 1, 10));
    }

    [Fact]
    public async Task SearchByImageReportsTheMatchedImage()
    {
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--image", Path.Combine(fixture.CorpusFolder, "img", "red.png"), "--top", "1", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var hit = json.RootElement.GetProperty("hits")[0];
        Assert.Equal("img-red", hit.GetProperty("id").GetString());
        Assert.True(hit.GetProperty("legs").TryGetProperty("visual", out _));
        var media = hit.GetProperty("media");
        Assert.Equal("image", media.GetProperty("kind").GetString());
        Assert.EndsWith("red.png", media.GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiltersRestrictEveryLeg()
    {
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "how", "--filter", "kind=article", "--filter", "year>=2022", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var ids = json.RootElement.GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("id").GetString()).ToList();
        Assert.Equal(["doc-volcano"], ids);

        var dates = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "how", "--filter", "published<=2021-05-01", "--json");
        using var datesJson = JsonDocument.Parse(dates.Out);
        Assert.Equal(["doc-lighthouse"], datesJson.RootElement.GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("id").GetString()).ToList());
    }

    [Theory]
    [InlineData("colour=red", "no metadata field 'colour'")]
    [InlineData("kind>=a", "'kind' is a keyword field")]
    [InlineData("year>=recent", "'year' is a number field")]
    [InlineData("published>=yesterday", "not an ISO-8601 date")]
    public async Task FiltersThatDoNotFitTheIndexAreUserErrors(string filter, string expected)
    {
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "how", "--filter", filter);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TableOutputListsHitsWithTheirLegs()
    {
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--text", "banana bread", "--explain");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("doc-bread", run.Out, StringComparison.Ordinal);
        Assert.Contains("lexical #1", run.Out, StringComparison.Ordinal);
        Assert.Contains("Bm25Similarity", run.Out, StringComparison.OrdinalIgnoreCase); // --explain shows Lucene's explanation
    }

    [Fact]
    public async Task BatchModePrintsOneJsonLinePerQueryWithItsId()
    {
        var queries = Path.Combine(fixture.CorpusFolder, "queries.jsonl");
        File.WriteAllLines(queries,
        [
            """{"id":"q-text","text":"volcanoes","top":1}""",
            """{"id":"q-image","images":["img/blue.png"],"filters":{"kind":"picture"},"top":2}""",
            """{"id":"q-range","text":"how","filters":{"year":{"min":2022},"kind":["article","recipe"]}}""",
        ]);
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--queries", queries);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.OutLines.Length);
        var results = run.OutLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["q-text", "q-image", "q-range"], results.Select(r => r.GetProperty("query_id").GetString()).ToList());
        Assert.Equal("doc-volcano", results[0].GetProperty("hits")[0].GetProperty("id").GetString());
        Assert.Equal(1, results[0].GetProperty("hits").GetArrayLength());
        Assert.Equal("img-blue", results[1].GetProperty("hits")[0].GetProperty("id").GetString());
        Assert.All(results[1].GetProperty("hits").EnumerateArray(), hit => Assert.StartsWith("img-", hit.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.Equal(["doc-bread", "doc-volcano"], results[2].GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).Order().ToList());
    }

    [Fact]
    public async Task BatchModeReportsABadLineWithFileAndLine()
    {
        var queries = Path.Combine(fixture.CorpusFolder, "bad-queries.jsonl");
        File.WriteAllLines(queries, ["""{"id":"ok","text":"x"}""", """{"id":"bad","txt":"x"}"""]);
        var run = await CliRun.RunAsync("search", "--index", fixture.IndexPath, "--queries", queries);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad-queries.jsonl:2", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task StatsReportsCountsFieldsAndSize()
    {
        var run = await CliRun.RunAsync("stats", "--index", fixture.IndexPath, "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("records").GetInt32());
        Assert.Equal(2, root.GetProperty("images").GetInt32());
        Assert.Equal(0, root.GetProperty("transcript_segments").GetInt32());
        Assert.True(root.GetProperty("size_on_disk_bytes").GetInt64() > 0);
        var vectors = root.GetProperty("vector_fields");
        Assert.Equal("resnet18", vectors.GetProperty("image_vector").GetProperty("embedder").GetString());
        Assert.Equal(512, vectors.GetProperty("image_vector").GetProperty("dimension").GetInt32());
        Assert.Equal("all-MiniLM-L6-v2", vectors.GetProperty("text_vector").GetProperty("embedder").GetString());
        Assert.Equal("number", root.GetProperty("metadata_fields").GetProperty("year").GetString());

        var table = await CliRun.RunAsync("stats", "--index", fixture.IndexPath);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("all-MiniLM-L6-v2", table.Out, StringComparison.Ordinal);
        Assert.Contains("size on disk", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRemovesTheRecordAndItsChildren()
    {
        using var temp = new TempDirectory();
        var index = fixture.CopyIndex(temp);
        var run = await CliRun.RunAsync("delete", "--index", index, "--id", "img-red");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("deleted record 'img-red'", run.Out, StringComparison.Ordinal);

        using var stats = JsonDocument.Parse((await CliRun.RunAsync("stats", "--index", index, "--json")).Out);
        Assert.Equal(4, stats.RootElement.GetProperty("records").GetInt32());
        Assert.Equal(1, stats.RootElement.GetProperty("images").GetInt32());

        var again = await CliRun.RunAsync("delete", "--index", index, "--id", "img-red");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("'img-red' is not in the index", Assert.Single(again.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestionWithFailedItemsExitsWith2AndListsEach()
    {
        using var temp = new TempDirectory();
        var manifest = temp.Combine("manifest.jsonl");
        File.WriteAllLines(manifest,
        [
            """{"id":"good","title":"A good record","text":"Fine."}""",
            """{"id":"broken", "title": """,
            """{"id":"good","title":"Duplicate id"}""",
        ]);
        var run = await CliRun.RunAsync("index", "--index", temp.Combine("index"), "--manifest", manifest);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("indexed 1 of 3 items", run.Out, StringComparison.Ordinal);
        Assert.Contains("manifest.jsonl:2: malformed JSON", run.Out, StringComparison.Ordinal);
        Assert.Contains("manifest.jsonl:3: duplicate id 'good'", run.Out, StringComparison.Ordinal);
    }
}
