using System.Numerics.Tensors;

namespace HybridSearch.Vectors;

/// <summary>Argument checks and the Euclidean score shared by the float scorers.</summary>
internal static class FloatVectorChecks
{
    internal static void CheckBlock(float[] data, int dimension, VectorSimilarity similarity, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!Enum.IsDefined(similarity))
        {
            throw new ArgumentOutOfRangeException(nameof(similarity), similarity, "Unknown vector similarity.");
        }

        if (data.Length % dimension != 0)
        {
            throw new ArgumentException($"The vector block has {data.Length} floats, which is not a multiple of the dimension {dimension}.", paramName);
        }
    }

    /// <summary>Negated squared Euclidean distance, so that higher means closer.</summary>
    internal static float NegSquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = TensorPrimitives.Distance(a, b);
        return -(d * d);
    }
}
