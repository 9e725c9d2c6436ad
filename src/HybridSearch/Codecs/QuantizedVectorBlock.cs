using System.Buffers.Binary;
using System.Runtime.InteropServices;
using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Codecs;

/// <summary>
/// The 7-bit quantized records of one field of a segment being written (flush or merge), in unmanaged memory: the
/// segment's quantizer is found first, every vector is quantized once, the graph is built on these records
/// (<see cref="Int8VectorScorer"/>) and the same bytes are then written to .veq. Costs (dimension + 4) bytes per
/// vector, about a quarter of the floats, outside the managed heap; freed on dispose.
/// </summary>
internal sealed unsafe class QuantizedVectorBlock : IDisposable
{
    private byte* _data;

    private QuantizedVectorBlock(ScalarQuantizer quantizer, int count, int dimension)
    {
        Quantizer = quantizer;
        Count = count;
        Dimension = dimension;
        RecordBytes = Int8QueryScorer.RecordBytes(dimension);
        _data = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(1L, (long)count * RecordBytes), 64);
    }

    /// <summary>The segment's quantization parameters.</summary>
    public ScalarQuantizer Quantizer { get; }

    /// <summary>Number of records.</summary>
    public int Count { get; }

    /// <summary>Components per vector.</summary>
    public int Dimension { get; }

    /// <summary>Bytes per record: the components, then the float32 correction.</summary>
    public int RecordBytes { get; }

    /// <summary>Finds the quantiles of <paramref name="count"/> vectors (as <see cref="ScalarQuantizer.FromVectors"/>)
    /// and quantizes every one of them; null for no vectors (the segment then records no quantizer).</summary>
    public static QuantizedVectorBlock? Quantize(ReadOnlySpan<float> vectors, int dimension, int count, VectorSimilarity similarity)
    {
        if (count == 0)
        {
            return null;
        }

        var quantizer = ScalarQuantizer.FromVectors(vectors, dimension, count, ScalarQuantizer.DefaultConfidence(dimension));
        var block = new QuantizedVectorBlock(quantizer, count, dimension);
        for (var i = 0; i < count; i++)
        {
            var record = block.Record(i);
            var correction = quantizer.Quantize(vectors.Slice(i * dimension, dimension), record, similarity);
            BinaryPrimitives.WriteSingleLittleEndian(record[dimension..], correction);
        }

        return block;
    }

    /// <summary>Record <paramref name="ord"/>'s bytes.</summary>
    public Span<byte> Record(int ord)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)ord, (uint)Count, nameof(ord));
        return new Span<byte>(_data + (nint)ord * RecordBytes, RecordBytes);
    }

    /// <summary>Records [<paramref name="start"/>, <paramref name="start"/> + <paramref name="n"/>) as one span.</summary>
    public ReadOnlySpan<byte> Records(int start, int n)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        if (start < 0 || n < 0 || (long)start + n > Count || (long)n * RecordBytes > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"Records {start}..{(long)start + n} of {Count} do not fit one span.");
        }

        return new ReadOnlySpan<byte>(_data + (nint)start * RecordBytes, n * RecordBytes);
    }

    /// <summary>A build scorer over the records; valid until this block is disposed.</summary>
    public Int8VectorScorer Scorer(VectorSimilarity similarity)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        return new Int8VectorScorer(_data, Count, Dimension, similarity, Quantizer);
    }

    public void Dispose()
    {
        if (_data is not null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }
}
