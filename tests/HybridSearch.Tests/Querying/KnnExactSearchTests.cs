using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static HybridSearch.Tests.Codecs.VectorIndexFixture;

namespace HybridSearch.Tests.Querying;

/// <summary>Where a segment is searched exactly instead of walked (<see cref="KnnVectorQuery.ExactSearchMaxEligible"/>):
/// at or below the limit the hits are the brute-force top, above it the graph is walked (and a narrow beam on a weak
/// graph misses some of the top); the hybrid legs' limit grows with their beam.</summary>
public sealed class KnnExactSearchTests : IDisposable
{
    private const int Dim = 16;
    private const int Count = 3000;
    private readonly TempDirectory _temp = new();
    private readonly float[][] _vectors = RandomVectors(Count, Dim, seed: 51);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ASegmentWithinTheLimitIsSearchedExactlyAndALargerOneIsWalked()
    {
        // A weak graph (M 4, construction beam 16) and a narrow beam, so that walks miss some of the true top 10.
        var options = new VectorFieldOptions(Dim, VectorSimilarity.Cosine) { M = 4, EfConstruction = 16 };
        var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, _vectors, options);
            writer.ForceMerge(1);
        }

        using var reader = DirectoryReader.Open(dir);
        Assert.Single(reader.Leaves);
        var searcher = new IndexSearcher(reader);
        var walkMissed = 0;
        foreach (var q in RandomVectors(40, Dim, seed: 52))
        {
            var truth = BruteForce(_vectors, q, 10, VectorSimilarity.Cosine);
            Assert.Equal(truth, Ids(searcher, new KnnVectorQuery(Field, q, 10, ef: 10) { ExactSearchMaxEligible = Count }));
            var walked = Ids(searcher, new KnnVectorQuery(Field, q, 10, ef: 10) { ExactSearchMaxEligible = Count - 1 });
            Assert.Equal(walked, Ids(searcher, new KnnVectorQuery(Field, q, 10, ef: 10)));
            walkMissed += walked.SequenceEqual(truth) ? 0 : 1;
        }

        Assert.True(walkMissed > 0, "every walk found the exact top 10, so the test cannot tell a walk from an exact search");
    }

    [Fact]
    public void TheLegsSearchSegmentsOfUpToSixteenBeamsExactly()
    {
        // A leg's window of 100 records asks for 200 documents with a beam of 200: segments of up to 3,200 are exact.
        Assert.Equal(3200, GroupedKnn.ExactLegSearchMaxEligible(200, null));
        Assert.Equal(16 * 500, GroupedKnn.ExactLegSearchMaxEligible(200, 500));
        Assert.Equal(16 * 64, GroupedKnn.ExactLegSearchMaxEligible(10, null));
        Assert.Equal(KnnVectorQuery.ExactSearchThreshold, GroupedKnn.ExactLegSearchMaxEligible(1, 1));
    }

    private static int[] Ids(IndexSearcher searcher, KnnVectorQuery query) =>
        searcher.Search(query, query.K).ScoreDocs
            .Select(d => int.Parse(searcher.Doc(d.Doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
