using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using HybridSearch.Vectors;

namespace HybridSearch.Graph;

/// <summary>
/// Query scorer over float vectors in unmanaged memory (a memory-mapped index file): vector i starts at
/// data + i × dimension. Same scores as <see cref="FloatQueryScorer"/>. The caller keeps the memory mapped while the
/// scorer is in use. An ordinal outside 0..count-1 (a damaged graph) is an <see cref="InvalidDataException"/>, never a
/// read outside the block.
/// </summary>
internal readonly unsafe struct UnmanagedFloatQueryScorer : IHnswQueryScorer
{
    private readonly float* _data;
    private readonly int _count;
    private readonly int _dimension;
    private readonly bool _euclidean;
    private readonly float[] _query;

    public UnmanagedFloatQueryScorer(float* data, int count, int dimension, VectorSimilarity similarity, ReadOnlySpan<float> query)
    {
        if (query.Length != dimension)
        {
            throw new ArgumentException($"The query has {query.Length} components but the vectors have dimension {dimension}.", nameof(query));
        }

        _data = data;
        _count = count;
        _dimension = dimension;
        _euclidean = similarity == VectorSimilarity.Euclidean;
        _query = query.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int ord)
    {
        if ((uint)ord >= (uint)_count)
        {
            ThrowOutOfRange(ord, _count);
        }

        var v = new ReadOnlySpan<float>(_data + (nint)ord * _dimension, _dimension);
        return _euclidean ? FloatVectorChecks.NegSquaredDistance(_query, v) : TensorPrimitives.Dot(_query, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int ord)
    {
        if (Sse.IsSupported && (uint)ord < (uint)_count)
        {
            var p = (byte*)(_data + (nint)ord * _dimension);
            Sse.Prefetch0(p);
            Sse.Prefetch0(p + 64);
        }
    }

    internal static void ThrowOutOfRange(int ord, int count) =>
        throw new InvalidDataException($"The graph refers to vector {ord}, but the segment holds {count} vectors.");
}
