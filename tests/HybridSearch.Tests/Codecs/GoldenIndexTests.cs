using System.Globalization;
using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Tests.Codecs;

/// <summary>An index written by the previous vectors format (HnswVectors10, committed under Golden/) opens, searches
/// as it did when it was written, passes CheckIndex, and merges into the current format.</summary>
public sealed class GoldenIndexTests : IDisposable
{
    private static readonly string GoldenDirectory = Path.Combine(AppContext.BaseDirectory, "Codecs", "Golden", "HnswVectors10");

    private readonly TempDirectory _temp = new();

    public GoldenIndexTests()
    {
        HybridCodec.Register();
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(GoldenDirectory, "index")))
        {
            File.Copy(file, Path.Combine(_temp.Path, Path.GetFileName(file)));
        }
    }

    public void Dispose() => _temp.Dispose();

    private sealed record RecordedResult(string Field, int Query, int[] Ids, float[] Scores);

    private static (float[][] Queries, List<RecordedResult> Results) Answers()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, "answers.json")));
        var queries = json.RootElement.GetProperty("queries").EnumerateArray().Select(q => q.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();
        var results = json.RootElement.GetProperty("results").EnumerateArray().Select(r => new RecordedResult(
            r.GetProperty("field").GetString()!,
            r.GetProperty("query").GetInt32(),
            r.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            r.GetProperty("scores").EnumerateArray().Select(x => x.GetSingle()).ToArray())).ToList();
        return (queries, results);
    }

    [Fact]
    public void TheOldFormatOpensAndSearchesAsWhenItWasWritten()
    {
        Assert.NotEmpty(System.IO.Directory.GetFiles(_temp.Path, "*_HnswVectors10_0.vec")); // the separate-file segment
        var (queries, recorded) = Answers();
        Assert.Equal(16, recorded.Count);
        using var dir = FSDirectory.Open(_temp.Path);
        using var reader = DirectoryReader.Open(dir);
        Assert.Equal(2, reader.Leaves.Count);
        Assert.Contains(reader.Leaves, l => ((SegmentReader)l.AtomicReader).SegmentInfo.Info.UseCompoundFile);
        Assert.All(reader.Leaves, l => Assert.True(((HnswVectorValues)l.AtomicReader.GetBinaryDocValues("cos")).IsMemoryMapped)); // compound slice too
        var searcher = new IndexSearcher(reader);
        foreach (var answer in recorded)
        {
            var top = searcher.Search(new KnnVectorQuery(answer.Field, queries[answer.Query], 10, ef: 64), 10);
            Assert.Equal(answer.Ids, top.ScoreDocs.Select(sd => Id(searcher, sd.Doc)).ToArray());
            Assert.Equal(answer.Scores, top.ScoreDocs.Select(sd => sd.Score).ToArray());
        }

        foreach (var answer in recorded)
        {
            Assert.Equal(BruteForce(reader, answer.Field, queries[answer.Query], 10), answer.Ids);
        }
    }

    [Fact]
    public void CheckIndexPassesOnTheOldFormat()
    {
        using var dir = FSDirectory.Open(_temp.Path);
        var status = new CheckIndex(dir).DoCheckIndex();
        Assert.True(status.Clean, "CheckIndex found problems in the golden index");
        using var reader = DirectoryReader.Open(dir);
        foreach (var leaf in reader.Leaves)
        {
            leaf.AtomicReader.CheckIntegrity();
        }
    }

    [Fact]
    public void AMergeRewritesTheOldSegmentsInTheCurrentFormat()
    {
        var (queries, recorded) = Answers();
        using (var dir = FSDirectory.Open(_temp.Path))
        {
            var cos = new VectorFieldOptions(16, VectorSimilarity.Cosine) { M = 8, EfConstruction = 50, Embedder = "golden-cos", Quantization = VectorQuantization.Int8 };
            var dot = new VectorFieldOptions(16, VectorSimilarity.DotProduct) { M = 6, EfConstruction = 40, Seed = 7, Embedder = "golden-dot" };
            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
            {
                Codec = new HybridCodec(new Dictionary<string, VectorFieldOptions> { ["cos"] = cos, ["dot"] = dot }),
                UseCompoundFile = false,
            };
            using var writer = new IndexWriter(dir, config);
            writer.ForceMerge(1);
            writer.Commit();
        }

        Assert.Empty(System.IO.Directory.GetFiles(_temp.Path, "*HnswVectors10*"));
        Assert.NotEmpty(System.IO.Directory.GetFiles(_temp.Path, "*_HnswVectors11_0.veq"));
        using var reopened = FSDirectory.Open(_temp.Path);
        Assert.True(new CheckIndex(reopened).DoCheckIndex().Clean);
        using var reader = DirectoryReader.Open(reopened);
        var searcher = new IndexSearcher(reader);
        Assert.NotNull(((HnswVectorValues)reader.Leaves[0].AtomicReader.GetBinaryDocValues("cos")).Quantizer);
        foreach (var answer in recorded)
        {
            var top = searcher.Search(new KnnVectorQuery(answer.Field, queries[answer.Query], 10, ef: 200), 10);
            Assert.Equal(BruteForce(reader, answer.Field, queries[answer.Query], 10), top.ScoreDocs.Select(sd => Id(searcher, sd.Doc)).ToArray());
        }
    }

    private static int Id(IndexSearcher searcher, int doc) => int.Parse(searcher.Doc(doc).Get("id"), CultureInfo.InvariantCulture);

    /// <summary>Exact top k over the vectors read back from the index (live documents only), by the field's similarity.</summary>
    private static int[] BruteForce(DirectoryReader reader, string field, float[] query, int k)
    {
        var scored = new List<(int Id, float Score)>();
        foreach (var leaf in reader.Leaves)
        {
            var values = (HnswVectorValues)leaf.AtomicReader.GetBinaryDocValues(field);
            var target = KnnVectorQuery.PrepareTarget(field, query, values.Options.Similarity);
            var live = leaf.AtomicReader.LiveDocs;
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                var vector = values.GetVector(doc);
                if (vector.IsEmpty || live is not null && !live.Get(doc))
                {
                    continue;
                }

                scored.Add((int.Parse(leaf.AtomicReader.Document(doc).Get("id"), CultureInfo.InvariantCulture), System.Numerics.Tensors.TensorPrimitives.Dot(target, vector)));
            }
        }

        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Id).Take(k).Select(s => s.Id).ToArray();
    }
}
