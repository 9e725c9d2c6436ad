using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using HybridSearch.Vectors;

namespace HybridSearch.Graph;

/// <summary>
/// Query scorer over one contiguous block of float vectors (vector i is data[i*dimension .. (i+1)*dimension)),
/// bound to one query vector. Same scoring as <see cref="FloatVectorScorer"/>: dot product for Cosine and DotProduct
/// (normalise cosine queries first), negated squared distance for Euclidean.
/// </summary>
public readonly struct FloatQueryScorer : IHnswQueryScorer
{
    private readonly float[] _data;
    private readonly float[] _query;
    private readonly int _dimension;
    private readonly bool _euclidean;

    /// <summary>Creates a scorer of the vectors in <paramref name="data"/> against <paramref name="query"/>.</summary>
    /// <exception cref="ArgumentException">The data length is not a multiple of the dimension, or the query length differs from it.</exception>
    public FloatQueryScorer(float[] data, int dimension, VectorSimilarity similarity, ReadOnlyMemory<float> query)
    {
        ArgumentNullException.ThrowIfNull(data);
        FloatVectorChecks.CheckBlock(data, dimension, similarity, nameof(data));
        if (query.Length != dimension)
        {
            throw new ArgumentException($"The query has {query.Length} components but the vectors have dimension {dimension}.", nameof(query));
        }

        _data = data;
        _dimension = dimension;
        _euclidean = similarity == VectorSimilarity.Euclidean;
        _query = query.ToArray(); // private copy: the caller may reuse its buffer while the scorer is alive
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int ord)
    {
        var v = new ReadOnlySpan<float>(_data, ord * _dimension, _dimension);
        return _euclidean ? FloatVectorChecks.NegSquaredDistance(_query, v) : TensorPrimitives.Dot(_query, v);
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
