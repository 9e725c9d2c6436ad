using HybridSearch.Codecs;
using HybridSearch.Graph;
using HybridSearch.Tests.Codecs;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Graph;

/// <summary>The int8 build scorer: pair scores over quantized records that estimate the float scores.</summary>
public sealed class Int8VectorScorerTests
{
    [Theory]
    [InlineData(VectorSimilarity.Cosine)]
    [InlineData(VectorSimilarity.DotProduct)]
    [InlineData(VectorSimilarity.Euclidean)]
    public void PairScoresAreSymmetricAndEstimateTheFloatScores(VectorSimilarity similarity)
    {
        const int dim = 96;
        const int n = 300;
        var vectors = VectorIndexFixture.RandomVectors(n, dim, seed: 61);
        if (similarity == VectorSimilarity.Cosine)
        {
            foreach (var v in vectors)
            {
                VectorNormalization.NormalizeInPlace(v);
            }
        }

        var data = vectors.SelectMany(v => v).ToArray();
        var exact = new FloatVectorScorer(data, dim, similarity);
        using var block = QuantizedVectorBlock.Quantize(data, dim, n, similarity)!;
        var scorer = block.Scorer(similarity);
        var random = new Random(62);
        var errors = new List<double>();
        double spreadSum = 0;
        for (var i = 0; i < 2000; i++)
        {
            int a = random.Next(n), b = random.Next(n);
            Assert.Equal(scorer.Score(a, b), scorer.Score(b, a));
            errors.Add(scorer.Score(a, b) - exact.Score(a, b));
            spreadSum += Math.Abs(exact.Score(a, b) - exact.Score(random.Next(n), random.Next(n)));
        }

        // Ranking is what the graph needs: the error, less its common bias, is small next to how much the scores of
        // random pairs differ from each other. Most of it comes from the components clipped to the quantiles (about
        // 1 in dimension + 1); it measures about 0.08 of the spread for all three similarities on this set.
        var bias = errors.Average();
        var spread = spreadSum / errors.Count;
        var scatter = Math.Sqrt(errors.Average(e => (e - bias) * (e - bias)));
        Assert.True(scatter < 0.12 * spread, $"{similarity}: error scatter {scatter:G4} (bias {bias:G4}) against mean spread {spread:G4}");
    }

    [Fact]
    public void RankingByTheInt8ScorerMostlyAgreesWithTheFloatRanking()
    {
        const int dim = 64;
        const int n = 500;
        var vectors = VectorIndexFixture.RandomVectors(n, dim, seed: 63);
        var data = vectors.SelectMany(v => v).ToArray();
        var exact = new FloatVectorScorer(data, dim, VectorSimilarity.DotProduct);
        using var block = QuantizedVectorBlock.Quantize(data, dim, n, VectorSimilarity.DotProduct)!;
        var scorer = block.Scorer(VectorSimilarity.DotProduct);
        double overlap = 0;
        for (var q = 0; q < 50; q++)
        {
            var byFloat = Enumerable.Range(0, n).Where(o => o != q).OrderByDescending(o => exact.Score(q, o)).Take(10);
            var byInt8 = Enumerable.Range(0, n).Where(o => o != q).OrderByDescending(o => scorer.Score(q, o)).Take(10);
            overlap += byFloat.Intersect(byInt8).Count() / 10.0;
        }

        Assert.True(overlap / 50 >= 0.8, $"top-10 overlap {overlap / 50:F3}");
    }

    [Fact]
    public void AnOrdinalOutsideTheBlockIsAnErrorNotARead()
    {
        using var block = QuantizedVectorBlock.Quantize(new float[] { 1, 0, 0, 1 }, 2, 2, VectorSimilarity.DotProduct)!;
        var scorer = block.Scorer(VectorSimilarity.DotProduct);
        Assert.Throws<InvalidDataException>(() => scorer.Score(0, 2));
        Assert.Throws<InvalidDataException>(() => scorer.Score(-1, 0));
        Assert.Null(QuantizedVectorBlock.Quantize([], 2, 0, VectorSimilarity.DotProduct));
    }
}
