using System.Numerics.Tensors;

namespace HybridSearch.Tests.Embedding;

internal static class VectorAssert
{
    public static void UnitLength(float[] vector, float tolerance = 1e-4f) =>
        Assert.InRange(TensorPrimitives.Norm(vector), 1f - tolerance, 1f + tolerance);

    public static void Close(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"component {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }

    public static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);
}
