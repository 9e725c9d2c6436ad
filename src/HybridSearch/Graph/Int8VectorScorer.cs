using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using HybridSearch.Vectors;

namespace HybridSearch.Graph;

/// <summary>
/// Pair scorer over 7-bit quantized records in unmanaged memory, the build-side twin of <see cref="Int8QueryScorer"/>:
/// record i starts at data + i × (dimension + 4) and holds dimension bytes then the vector's float32 correction
/// (<see cref="ScalarQuantizer"/>). Scores estimate <see cref="FloatVectorScorer"/>'s: α²·Σ qa·qb + c(a) + c(b) for
/// Cosine and DotProduct, −α²·Σ (qa − qb)² for Euclidean. An int8 field builds its graph with it, as Lucene's
/// scalar-quantized HNSW format does, so the graph is built on the same scores its walk later reads.
/// The caller keeps the memory alive while the scorer is in use; Score is safe from several threads.
/// </summary>
internal readonly unsafe struct Int8VectorScorer : IHnswScorer
{
    private readonly byte* _data;
    private readonly int _count;
    private readonly int _dimension;
    private readonly int _stride;
    private readonly bool _euclidean;
    private readonly float _alphaSquared;

    public Int8VectorScorer(byte* data, int count, int dimension, VectorSimilarity similarity, ScalarQuantizer quantizer)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _data = data;
        _count = count;
        _dimension = dimension;
        _stride = Int8QueryScorer.RecordBytes(dimension);
        _euclidean = similarity == VectorSimilarity.Euclidean;
        _alphaSquared = quantizer.Alpha * quantizer.Alpha;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int ordA, int ordB)
    {
        if ((uint)ordA >= (uint)_count || (uint)ordB >= (uint)_count)
        {
            UnmanagedFloatQueryScorer.ThrowOutOfRange((uint)ordA >= (uint)_count ? ordA : ordB, _count);
        }

        var a = _data + (nint)ordA * _stride;
        var b = _data + (nint)ordB * _stride;
        if (_euclidean)
        {
            return -_alphaSquared * ScalarQuantizer.SquareDistance(a, b, _dimension);
        }

        // The corrections are summed first: a + b == b + a in IEEE arithmetic, so Score(a, b) == Score(b, a) exactly.
        return _alphaSquared * ScalarQuantizer.DotProduct(a, b, _dimension)
            + (Unsafe.ReadUnaligned<float>(a + _dimension) + Unsafe.ReadUnaligned<float>(b + _dimension));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int ord)
    {
        if (Sse.IsSupported && (uint)ord < (uint)_count)
        {
            Sse.Prefetch0(_data + (nint)ord * _stride);
        }
    }
}
