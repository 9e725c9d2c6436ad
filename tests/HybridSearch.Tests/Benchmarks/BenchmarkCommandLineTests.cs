using System.CommandLine;
using HybridSearch.Benchmarks;

namespace HybridSearch.Tests.Benchmarks;

/// <summary>The benchmarks' command-line contracts: every documented line parses to the values it names, a bad line
/// fails before any work with an error naming the option, and the knn commands run end to end on tiny files.
/// In the CLI collection because the benchmarks print to the process console, which <c>ReadmeQuickStartTests</c>
/// captures (run beside it, their lines landed in its output).</summary>
[Collection(HybridSearch.Tests.Cli.CliCollection.Name)]
public sealed class BenchmarkCommandLineTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _base;
    private readonly string _query;
    private readonly string _truth;

    public BenchmarkCommandLineTests()
    {
        var random = new Random(3);
        float[][] Vectors(int count) => Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
        _base = _temp.Combine("base.fvecs");
        _query = _temp.Combine("query.fvecs");
        _truth = _temp.Combine("groundtruth.ivecs");
        WriteFvecs(_base, Vectors(300));
        WriteFvecs(_query, Vectors(20));
        VectorFiles.WriteIvecs(_truth, Enumerable.Range(0, 20).Select(i => Enumerable.Range(i, 10).ToArray()));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void KnnContractLineParsesEveryOption()
    {
        var parse = Parse($"knn --base {_base} --query {_query} --k 10 --m 16 --ef-construction 100 --ef 10,20,40,80,160,320 --out-prefix P --filter-mod 7 --groundtruth {_truth} --write-path library --quantize int8 --commit-every 500 --force-merge");
        Assert.Equal("knn", parse.CommandResult.Command.Name);
        Assert.Equal(_base, parse.GetValue<string>("--base"));
        Assert.Equal(_query, parse.GetValue<string>("--query"));
        Assert.Equal(10, parse.GetValue<int>("--k"));
        Assert.Equal(16, parse.GetValue<int>("--m"));
        Assert.Equal(100, parse.GetValue<int>("--ef-construction"));
        Assert.Equal([10, 20, 40, 80, 160, 320], parse.GetValue<int[]>("--ef")!);
        Assert.Equal("P", parse.GetValue<string>("--out-prefix"));
        Assert.Equal(7, parse.GetValue<int>("--filter-mod"));
        Assert.Equal(_truth, parse.GetValue<string>("--groundtruth"));
        Assert.Equal("library", parse.GetValue<string>("--write-path"));
        Assert.Equal("int8", parse.GetValue<string>("--quantize"));
        Assert.Equal(500, parse.GetValue<int>("--commit-every"));
        Assert.True(parse.GetValue<bool>("--force-merge"));
    }

    [Fact]
    public void KnnDefaultsAreTheDocumentedOnes()
    {
        var parse = Parse($"knn --base {_base} --query {_query} --ef 40 --out-prefix P");
        Assert.Equal(10, parse.GetValue<int>("--k"));
        Assert.Equal(16, parse.GetValue<int>("--m"));
        Assert.Equal(100, parse.GetValue<int>("--ef-construction"));
        Assert.Equal(0, parse.GetValue<int>("--filter-mod"));
        Assert.Null(parse.GetValue<string>("--groundtruth"));
        Assert.Equal("single-segment", parse.GetValue<string>("--write-path"));
        Assert.Equal("none", parse.GetValue<string>("--quantize"));
        Assert.Equal(10_000, parse.GetValue<int>("--commit-every"));
        Assert.False(parse.GetValue<bool>("--force-merge"));
        Assert.Equal(1, parse.GetValue<int>("--repeat"));
        Assert.False(Parse($"knn --base {_base} --query {_query} --ef 40 --out-prefix P --force-merge false").GetValue<bool>("--force-merge"));
    }

    [Fact]
    public void OtherCommandsParseTheirDocumentedLines()
    {
        var merge = Parse($"knn-merge --base {_base} --split 250 --m 8 --ef-construction 50 --build-threads 2 --query {_query} --groundtruth {_truth} --k 5 --ef 40,80");
        Assert.Equal(250, merge.GetValue<int?>("--split"));
        Assert.Equal(8, merge.GetValue<int>("--m"));
        Assert.Equal(2, merge.GetValue<int>("--build-threads"));
        Assert.Equal([40, 80], merge.GetValue<int[]>("--ef")!);
        Assert.Null(Parse($"knn-merge --base {_base}").GetValue<int?>("--split"));
        Assert.Empty(Parse($"knn-merge --base {_base}").GetValue<int[]>("--ef")!);

        var beir = Parse("beir --collection C --leg hybrid --run med.trec");
        Assert.Equal("C", beir.GetValue<string>("--collection"));
        Assert.Equal("hybrid", beir.GetValue<string>("--leg"));
        Assert.Equal(1000, beir.GetValue<int>("--top"));

        var fusion = Parse("fusion --collection C --out O --top 50 --methods rrf60,minmax,bounded,bounded-plain --offtopic cookies");
        Assert.Equal("rrf60,minmax,bounded,bounded-plain", fusion.GetValue<string>("--methods"));
        Assert.Equal("cookies", fusion.GetValue<string>("--offtopic"));
        Assert.Equal(50, fusion.GetValue<int>("--top"));

        Assert.Equal(3, Parse("latency --collection C").GetValue<int>("--rounds"));

        var visual = Parse("visual-fusion --folder F --outside O --methods bounded --captions image --save-legs L");
        Assert.Equal("image", visual.GetValue<string>("--captions"));
        Assert.Equal("text", Parse("visual-fusion --folder F").GetValue<string>("--captions"));

        var signals = Parse("fusion-signals --index I --queries J1.jsonl,J2.jsonl --save-legs L");
        Assert.Equal("J1.jsonl,J2.jsonl", signals.GetValue<string>("--queries"));
        var tune = Parse("fusion-signals --legs L.legs.jsonl --tune 5 --metric ndcg_at_10");
        Assert.Equal(5, tune.GetValue<int?>("--tune"));
        Assert.Equal("ndcg_at_10", tune.GetValue<string>("--metric"));

        var ingest = Parse("ingest --folder F --index I --allow-path A --allow-path B --batch-size 16 --commit-every 100 --sample 64 --text none --workers 2");
        Assert.Equal(["A", "B"], ingest.GetValue<string[]>("--allow-path")!);
        Assert.Equal(16, ingest.GetValue<int>("--batch-size"));
        Assert.Equal(64, ingest.GetValue<int?>("--sample"));
        Assert.Equal("none", ingest.GetValue<string>("--text"));
        Assert.Equal(2, ingest.GetValue<int?>("--workers"));
        var ingestDefaults = Parse($"ingest --manifest {_base} --index I");
        Assert.Equal(32, ingestDefaults.GetValue<int>("--batch-size"));
        Assert.Equal(500, ingestDefaults.GetValue<int>("--commit-every"));
        Assert.Equal("minilm", ingestDefaults.GetValue<string>("--text"));
        Assert.Empty(ingestDefaults.GetValue<string[]>("--allow-path")!);

        Assert.Equal(10, Parse("image-retrieval --folder F").GetValue<int>("--k"));

        var soak = Parse("soak --seconds 5 --processes 2 --records 40 --commit-every 5 --seed 3");
        Assert.Equal(5, soak.GetValue<int>("--seconds"));
        Assert.Equal(2, soak.GetValue<int?>("--processes"));
        Assert.Equal(4, Parse("soak").GetValue<int>("--threads"));
        Assert.Equal("writer", Parse("soak --role writer --index I --deletion-log D --seed 2 --records 400 --commit-every 20").GetValue<string>("--role"));

        var decode = Parse($"decode --manifest {_base} --compare {_query} --rounds 2");
        Assert.Equal(_query, decode.GetValue<string>("--compare"));
        Assert.Equal(2, decode.GetValue<int>("--rounds"));
    }

    [Theory]
    [InlineData("knn --base BASE --query QUERY --ef 10 --out-prefix P --bogus 1", "--bogus")]
    [InlineData("knn --base BASE --query QUERY --ef 10,x --out-prefix P", "--ef: 'x'")]
    [InlineData("knn --base BASE --query QUERY --ef 10 --out-prefix P --k 0", "--k: '0'")]
    [InlineData("knn --base BASE --query QUERY --ef 10 --out-prefix P --quantize int4", "--quantize: 'int4'")]
    [InlineData("knn --base BASE --query QUERY --ef 10 --out-prefix P --repeat 0", "--repeat: '0'")]
    [InlineData("knn --base BASE --query QUERY --ef 10", "--out-prefix")]
    [InlineData("knn --base /no/such.fvecs --query QUERY --ef 10 --out-prefix P", "/no/such.fvecs")]
    [InlineData("knn-merge --base BASE --split many", "--split: 'many'")]
    [InlineData("ingest --folder F --index I --text bert", "--text: 'bert'")]
    [InlineData("soak --role boss", "boss")]
    [InlineData("no-such-benchmark", "no-such-benchmark")]
    public async Task ABadLineIsAnErrorNamingTheOptionAndExitsWithTwo(string line, string named)
    {
        var args = Args(line);
        var parse = BenchmarkCommands.Parse(args);
        Assert.Contains(parse.Errors, error => error.Message.Contains(named, StringComparison.Ordinal));
        Assert.Equal(BenchmarkCommands.UsageError, await BenchmarkCommands.RunAsync(args));
    }

    [Fact]
    public async Task KnnAndKnnMergeRunOnTinyFilesAndWriteTheirResults()
    {
        var prefix = _temp.Combine("run");
        Assert.Equal(0, await BenchmarkCommands.RunAsync(Args($"knn --base {_base} --query {_query} --groundtruth {_truth} --k 10 --m 8 --ef-construction 40 --ef 10,40 --repeat 3 --out-prefix {prefix}")));
        foreach (var ef in new[] { 10, 40 })
        {
            var rows = VectorFiles.ReadIvecs($"{prefix}.ef{ef}.ivecs");
            Assert.Equal(20, rows.Length);
            Assert.All(rows, row => Assert.Equal(10, row.Length));
        }

        Assert.Equal(0, await BenchmarkCommands.RunAsync(Args($"knn-merge --base {_base} --split 200 --m 8 --ef-construction 40 --query {_query} --groundtruth {_truth} --k 10 --ef 40")));
    }

    private ParseResult Parse(string line)
    {
        var parse = BenchmarkCommands.Parse(Args(line));
        Assert.True(parse.Errors.Count == 0, $"'{line}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        return parse;
    }

    private string[] Args(string line) =>
        line.Replace("BASE", _base, StringComparison.Ordinal).Replace("QUERY", _query, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static void WriteFvecs(string path, float[][] rows)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var row in rows)
        {
            writer.Write(row.Length);
            foreach (var value in row)
            {
                writer.Write(value);
            }
        }
    }
}
