using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Indexing;

public sealed class VectorMergePolicyTests : IDisposable
{
    private const int Dim = 64, Commits = 14, PerCommit = 300;
    private readonly TempDirectory _temp = new();
    private readonly float[][] _vectors;

    public VectorMergePolicyTests()
    {
        var random = new Random(61);
        _vectors = Enumerable.Range(0, Commits * PerCommit)
            .Select(_ => Enumerable.Range(0, Dim).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ManyCommitsAreMergedInTheBackgroundAndEveryRecordStaysFindable()
    {
        // The segment count at scale is measured by the knn benchmark (--write-path library); here, at
        // test scale, the merges must happen (14 commits, 14 segments without them) and keep every record.
        var defaults = HybridIndexOptions.Default.WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(Dim, VectorSimilarity.Cosine) { Embedder = "test" });
        var ours = IndexWithCommits(_temp.Combine("ours"), defaults);
        // Without merges there would be 14 segments. How many folds finish before close depends on timing (two merge
        // threads, folds of whatever is idle when a commit triggers them), so the bound is loose but fails without merging.
        Assert.InRange(ours, 1, Commits / 2);
        Assert.Equal(2, HybridIndexOptions.Default.SegmentsPerTier);
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridIndexOptions.Default with { SegmentsPerTier = 1 });

        using var reopened = HybridIndex.OpenReadOnly(_temp.Combine("ours"));
        Assert.Equal(_vectors.Length, reopened.GetStats().Records);
        using var lease = reopened.AcquireSearcher();
        for (var i = 0; i < _vectors.Length; i += 331)
        {
            var top = lease.Searcher.Search(new KnnVectorQuery(IndexFieldNames.ImageVector, _vectors[i], 1, ef: 64), 1);
            Assert.Equal($"r{i}", lease.Searcher.Doc(top.ScoreDocs[0].Doc).Get(IndexFieldNames.Parent));
        }
    }

    /// <summary>Writes the vectors as records with a commit every <see cref="PerCommit"/>, closes (which waits for running
    /// merges) and returns the segment count.</summary>
    private int IndexWithCommits(string path, HybridIndexOptions options)
    {
        using (var index = HybridIndex.Open(path, options))
        {
            for (var i = 0; i < _vectors.Length; i++)
            {
                var image = new IndexedImage($"img{i}.png", null, new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = _vectors[i] });
                index.Upsert(new IndexedRecord($"r{i}", images: [image]));
                if ((i + 1) % PerCommit == 0)
                {
                    index.Commit();
                }
            }
        }

        using var reopened = HybridIndex.OpenReadOnly(path);
        return reopened.GetStats().LuceneSegments;
    }
}
