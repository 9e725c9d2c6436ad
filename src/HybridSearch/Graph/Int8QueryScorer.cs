using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using HybridSearch.Vectors;

namespace HybridSearch.Graph;

/// <summary>
/// Query scorer over 7-bit quantized vectors in unmanaged memory (<see cref="ScalarQuantizer"/>): record i starts at
/// data + i × (dimension + 4) and holds dimension bytes then the vector's float32 correction. The query is quantized
/// with the segment's quantizer; scores estimate <see cref="FloatQueryScorer"/>'s (dot product, or negated squared
/// distance for Euclidean). The caller keeps the memory mapped while the scorer is in use.
/// </summary>
internal readonly unsafe struct Int8QueryScorer : IHnswQueryScorer
{
    private readonly byte* _data;
    private readonly int _count;
    private readonly int _dimension;
    private readonly int _stride;
    private readonly bool _euclidean;
    private readonly float _alphaSquared;
    private readonly float _queryCorrection;
    private readonly byte[] _query; // pinned: the kernel reads it through a pointer

    public Int8QueryScorer(byte* data, int count, int dimension, VectorSimilarity similarity, ScalarQuantizer quantizer, ReadOnlySpan<float> query)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        if (query.Length != dimension)
        {
            throw new ArgumentException($"The query has {query.Length} components but the vectors have dimension {dimension}.", nameof(query));
        }

        _data = data;
        _count = count;
        _dimension = dimension;
        _stride = RecordBytes(dimension);
        _euclidean = similarity == VectorSimilarity.Euclidean;
        _alphaSquared = quantizer.Alpha * quantizer.Alpha;
        _query = GC.AllocateUninitializedArray<byte>(dimension, pinned: true);
        _queryCorrection = quantizer.Quantize(query, _query, similarity);
    }

    /// <summary>Bytes of one quantized record: the components, then the float32 correction.</summary>
    public static int RecordBytes(int dimension) => dimension + sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int ord)
    {
        if ((uint)ord >= (uint)_count)
        {
            UnmanagedFloatQueryScorer.ThrowOutOfRange(ord, _count);
        }

        var record = _data + (nint)ord * _stride;
        var query = (byte*)Unsafe.AsPointer(ref _query[0]);
        if (_euclidean)
        {
            return -_alphaSquared * ScalarQuantizer.SquareDistance(query, record, _dimension);
        }

        return _alphaSquared * ScalarQuantizer.DotProduct(query, record, _dimension) + _queryCorrection + Unsafe.ReadUnaligned<float>(record + _dimension);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int ord)
    {
        if (Sse.IsSupported && (uint)ord < (uint)_count)
        {
            Sse.Prefetch0(_data + (nint)ord * _stride);
        }
    }
}
