using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Querying.Background;

/// <summary>The kNN background sample is a bottom-k sketch over document ids: the same whatever the segment layout,
/// deletions and re-additions, and mergeable over disjoint indexes into exactly one index's sample.</summary>
public sealed class KnnBackgroundTests : IDisposable
{
    private const int Dimension = 16;
    private const int Records = 700; // well over KnnBackground.SampleSize, so the sketch is a true sample
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static HybridIndexOptions Options => HybridIndexOptions.Default.WithVectorField(
        IndexFieldNames.TextVector, new VectorFieldOptions(Dimension, VectorSimilarity.Cosine) { Embedder = "test-random-16" });

    private static IndexedRecord Record(int i, int version = 0)
    {
        var random = new Random(i * 31 + version);
        var vector = Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble() - 0.3f).ToArray();
        return new IndexedRecord($"r{i:D4}", $"title {i}", $"text {i}", chunks: [new IndexedChunk(0, 5, vector)]);
    }

    private static float[] Query(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble() - 0.3f).ToArray();
    }

    private HybridIndex Build(string name, IEnumerable<int> ids, int commitEvery, Action<HybridIndex>? after = null)
    {
        var index = HybridIndex.Open(_directory.Combine(name), Options);
        var n = 0;
        foreach (var i in ids)
        {
            index.Upsert(Record(i));
            if (++n % commitEvery == 0)
            {
                index.Commit();
            }
        }

        after?.Invoke(index);
        index.Commit();
        index.Refresh();
        return index;
    }

    private static KnnBackgroundSample Sample(HybridIndex index, float[] query)
    {
        using var lease = index.AcquireSearcher();
        return KnnBackground.Sample(lease.Searcher, IndexFieldNames.TextVector, query)!;
    }

    private static float? Score(HybridIndex index, float[] query)
    {
        using var lease = index.AcquireSearcher();
        return KnnBackground.Score(lease.Searcher, IndexFieldNames.TextVector, query);
    }

    [Fact]
    public void TheSampleDoesNotDependOnSegmentLayoutOrDeletions()
    {
        var ids = Enumerable.Range(0, Records).ToList();
        using var one = Build("one", ids, commitEvery: Records);
        // Many small segments, in another order, with 100 records written twice (first version deleted) and 50
        // extra records added and deleted again.
        using var many = Build("many", Enumerable.Reverse(ids), commitEvery: 37, after: index =>
        {
            for (var i = Records; i < Records + 50; i++)
            {
                index.Upsert(Record(i, version: 1));
            }

            index.Commit();
            for (var i = Records; i < Records + 50; i++)
            {
                index.Delete($"r{i:D4}");
            }
        });
        // Written again after the last commit and made visible without one: the searcher then holds a segment of
        // its own for them whatever the writer's merges did with the committed ones (a closing or background fold
        // may have left those as one).
        foreach (var i in ids.Where(i => i % 7 == 0).Take(100))
        {
            many.Upsert(Record(i));
        }

        many.Refresh();
        using (var lease = many.AcquireSearcher())
        {
            Assert.True(lease.Searcher.IndexReader.Leaves.Count > 1, "the second index should have several segments");
            Assert.True(lease.Searcher.IndexReader.HasDeletions, "the second index should have deleted documents");
        }

        for (var seed = 0; seed < 5; seed++)
        {
            var query = Query(seed);
            var a = Sample(one, query);
            var b = Sample(many, query);
            Assert.Equal(KnnBackground.SampleSize, a.KeyHashes.Count);
            Assert.Equal(a.KeyHashes, b.KeyHashes);
            Assert.Equal(a.Scores, b.Scores);
            Assert.True(a.KeyHashes.Zip(a.KeyHashes.Skip(1)).All(p => p.First < p.Second), "hashes ascend");
            Assert.Equal(Score(one, query), Score(many, query));
        }
    }

    [Fact]
    public void ShardsSamplesMergeIntoTheSingleIndexsSample()
    {
        var ids = Enumerable.Range(0, Records).ToList();
        using var single = Build("single", ids, commitEvery: 100);
        var shards = Enumerable.Range(0, 3).Select(s => Build($"shard{s}", ids.Where(i => i % 3 == s), commitEvery: 60)).ToList();
        try
        {
            for (var seed = 10; seed < 15; seed++)
            {
                var query = Query(seed);
                var whole = Sample(single, query);
                var parts = shards.Select(s => Sample(s, query)).ToList();
                // Each shard holds fewer than the sample size below the cut, and the union cut to k is the single sketch.
                var merged = parts.SelectMany(p => p.KeyHashes.Zip(p.Scores)).OrderBy(p => p.First).Take(KnnBackground.SampleSize).ToList();
                Assert.Equal(whole.KeyHashes, merged.Select(p => p.First));
                Assert.Equal(whole.Scores, merged.Select(p => p.Second));
                Assert.Equal(Score(single, query), KnnBackground.Pool(parts));
            }
        }
        finally
        {
            shards.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void AnEmptyFieldHasNoBackground()
    {
        using var index = HybridIndex.Open(_directory.Combine("empty"), Options);
        index.Upsert(new IndexedRecord("plain", "no vectors", "a record without chunks"));
        index.Commit();
        index.Refresh();
        Assert.Null(Sample(index, Query(1)));
        Assert.Null(Score(index, Query(1)));
        Assert.Null(KnnBackground.Pool([]));
        Assert.Null(KnnBackground.Pool([new KnnBackgroundSample(IndexFieldNames.TextVector, [], [])]));
    }
}
