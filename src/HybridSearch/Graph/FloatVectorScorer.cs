using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using HybridSearch.Vectors;

namespace HybridSearch.Graph;

/// <summary>
/// Pair scorer over one contiguous block of float vectors: vector i is data[i*dimension .. (i+1)*dimension).
/// Cosine and DotProduct score by dot product (cosine vectors must already be normalised by the caller);
/// Euclidean scores by the negated squared distance, so higher is always more similar.
/// </summary>
public readonly struct FloatVectorScorer : IHnswScorer
{
    private readonly float[] _data;
    private readonly int _dimension;
    private readonly bool _euclidean;

    /// <summary>Creates a scorer over <paramref name="data"/> holding whole vectors of <paramref name="dimension"/> floats.</summary>
    /// <exception cref="ArgumentException">The data length is not a multiple of the dimension.</exception>
    public FloatVectorScorer(float[] data, int dimension, VectorSimilarity similarity)
    {
        ArgumentNullException.ThrowIfNull(data);
        FloatVectorChecks.CheckBlock(data, dimension, similarity, nameof(data));
        _data = data;
        _dimension = dimension;
        _euclidean = similarity == VectorSimilarity.Euclidean;
    }

    /// <summary>Number of whole vectors in the data block.</summary>
    public int Count => _data.Length / _dimension;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int ordA, int ordB)
    {
        var a = new ReadOnlySpan<float>(_data, ordA * _dimension, _dimension);
        var b = new ReadOnlySpan<float>(_data, ordB * _dimension, _dimension);
        return _euclidean ? FloatVectorChecks.NegSquaredDistance(a, b) : TensorPrimitives.Dot(a, b);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int ord)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data), (nint)ord * _dimension)));
        }
    }
}
