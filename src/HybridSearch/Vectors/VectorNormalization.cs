using System.Numerics.Tensors;

namespace HybridSearch.Vectors;

/// <summary>L2 normalisation shared by the embedders.</summary>
internal static class VectorNormalization
{
    /// <summary>Scales <paramref name="vector"/> to unit length in place; an all-zero vector is left as it is, because it
    /// has no direction to keep.</summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0f && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>Mean of the given vectors, re-normalised to unit length.</summary>
    public static float[] NormalizedMean(IReadOnlyList<float[]> vectors, int dimension)
    {
        var mean = new float[dimension];
        foreach (var vector in vectors)
        {
            TensorPrimitives.Add(mean, vector, mean);
        }

        NormalizeInPlace(mean);
        return mean;
    }
}
