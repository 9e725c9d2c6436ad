using System.Numerics.Tensors;
using CsCheck;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Codecs;

public sealed class ScalarQuantizerTests
{
    [Fact]
    public void SimdKernelsEqualTheScalarDefinitions()
    {
        Gen.Select(Gen.Int[1, 300], Gen.Int[0, 100_000]).Sample((length, seed) =>
        {
            var random = new Random(seed);
            var a = new byte[length];
            var b = new byte[length];
            for (var i = 0; i < length; i++)
            {
                a[i] = (byte)random.Next(0, ScalarQuantizer.MaxQuantized + 1);
                b[i] = (byte)random.Next(0, ScalarQuantizer.MaxQuantized + 1);
            }

            Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), ScalarQuantizer.DotProduct(a, b));
            Assert.Equal(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum(), ScalarQuantizer.SquareDistance(a, b));
        }, iter: 200);
    }

    [Fact]
    public void ExtremeValuesDoNotOverflowTheKernels()
    {
        var full = Enumerable.Repeat((byte)ScalarQuantizer.MaxQuantized, 1024).ToArray();
        var zero = new byte[1024];
        Assert.Equal(127 * 127 * 1024, ScalarQuantizer.DotProduct(full, full));
        Assert.Equal(127 * 127 * 1024, ScalarQuantizer.SquareDistance(full, zero));
    }

    [Theory]
    [InlineData(VectorSimilarity.DotProduct)]
    [InlineData(VectorSimilarity.Euclidean)]
    public void QuantizedScoresEstimateFloatScores(VectorSimilarity similarity)
    {
        const int dim = 128;
        var vectors = VectorIndexFixture.RandomVectors(500, dim, seed: 21);
        foreach (var v in vectors)
        {
            VectorNormalization.NormalizeInPlace(v);
        }

        var block = vectors.SelectMany(v => v).ToArray();
        var quantizer = ScalarQuantizer.FromVectors(block, dim, vectors.Length, ScalarQuantizer.DefaultConfidence(dim));
        Assert.True(quantizer.Lower < 0 && quantizer.Upper > 0, $"bounds [{quantizer.Lower}, {quantizer.Upper}]");
        var qa = new byte[dim];
        var qb = new byte[dim];
        var alpha2 = quantizer.Alpha * quantizer.Alpha;
        double total = 0;
        for (var i = 0; i < 200; i++)
        {
            var a = vectors[i];
            var b = vectors[499 - i];
            var ca = quantizer.Quantize(a, qa, similarity);
            var cb = quantizer.Quantize(b, qb, similarity);
            float exact, estimate;
            if (similarity == VectorSimilarity.Euclidean)
            {
                exact = TensorPrimitives.Distance(a, b) * TensorPrimitives.Distance(a, b);
                estimate = alpha2 * ScalarQuantizer.SquareDistance(qa, qb);
                Assert.Equal(0f, ca);
            }
            else
            {
                exact = TensorPrimitives.Dot(a, b);
                estimate = alpha2 * ScalarQuantizer.DotProduct(qa, qb) + ca + cb;
            }

            total += Math.Abs(exact - estimate);
        }

        // Unit vectors: dot products lie in [-1, 1], squared distances in [0, 4]. Rounding alone errs by about 0.002;
        // the components clipped to the quantiles (about 1 in dimension + 1) add most of the error, which the kNN
        // query's float re-scoring absorbs. The mean error stays under 1% of the score range.
        var mean = total / 200;
        var range = similarity == VectorSimilarity.Euclidean ? 4.0 : 2.0;
        Assert.True(mean < 0.01 * range, $"mean absolute error {mean}");
    }

    [Fact]
    public void ConstantComponentsStillGiveAUsableQuantizer()
    {
        var block = Enumerable.Repeat(0.25f, 8 * 30).ToArray();
        var quantizer = ScalarQuantizer.FromVectors(block, 8, 30, 0.9f);
        Assert.True(quantizer.Upper > quantizer.Lower);
        var dest = new byte[8];
        quantizer.Quantize(block.AsSpan(0, 8), dest, VectorSimilarity.DotProduct);
        Assert.All(dest, b => Assert.InRange(b, 0, ScalarQuantizer.MaxQuantized));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarQuantizer(1f, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarQuantizer(float.NaN, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScalarQuantizer.FromVectors(new float[8], 8, 1, 0f));
        Assert.Throws<ArgumentException>(() => ScalarQuantizer.FromVectors(new float[8], 8, 2, 0.9f));
    }
}
