using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HybridSearch.Vectors;

/// <summary>
/// Scalar quantization of float vectors to 7-bit integers (0..127, one byte per component), after Lucene's
/// <c>ScalarQuantizer</c>: components are clamped to [<see cref="Lower"/>, <see cref="Upper"/>] (quantiles of a sample
/// of the segment's components) and mapped linearly to 0..<see cref="MaxQuantized"/>. Seven bits, not eight, so that a
/// dot product can multiply byte pairs and add two products in 16 bits without overflow (AVX2 <c>vpmaddubsw</c>).
/// </summary>
/// <remarks>
/// <para>With α = (upper − lower) / 127 and per-vector correction c(x) = Σᵢ [lower·(xᵢ − lower/2) + (dxᵢ − dqᵢ)·dqᵢ]
/// (dxᵢ = xᵢ − lower, dqᵢ = α·qᵢ), a dot product is estimated as α²·Σᵢ qxᵢ·qyᵢ + c(x) + c(y), and a squared Euclidean
/// distance as α²·Σᵢ (qxᵢ − qyᵢ)² (no correction). The estimate only steers the graph walk; the kNN query re-scores
/// its best candidates with the float vectors.</para>
/// <para>The quantiles: over a deterministic sample of at most <see cref="SampleVectors"/> vectors, in batches of 20
/// vectors, the (1 − confidence) / 2 and 1 − (1 − confidence) / 2 quantiles of each batch's components, averaged over
/// the batches. The default confidence is max(0.9, 1 − 1 / (dimension + 1)), as Lucene's.</para>
/// </remarks>
public sealed class ScalarQuantizer
{
    /// <summary>The largest quantized value (7 bits).</summary>
    public const int MaxQuantized = 127;

    /// <summary>At most this many vectors are sampled to find the quantiles.</summary>
    public const int SampleVectors = 25_000;

    private const int BatchVectors = 20;

    /// <summary>Creates a quantizer for components clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not finite or upper is not above lower.</exception>
    public ScalarQuantizer(float lower, float upper)
    {
        if (!float.IsFinite(lower) || !float.IsFinite(upper) || !(upper > lower))
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"Quantization bounds must be finite with upper > lower (lower {lower}).");
        }

        Lower = lower;
        Upper = upper;
        Alpha = (upper - lower) / MaxQuantized;
        Scale = MaxQuantized / (upper - lower);
    }

    /// <summary>Smallest component value represented (quantized to 0).</summary>
    public float Lower { get; }

    /// <summary>Largest component value represented (quantized to 127).</summary>
    public float Upper { get; }

    /// <summary>Width of one quantization step, (upper − lower) / 127.</summary>
    public float Alpha { get; }

    /// <summary>Steps per unit, 127 / (upper − lower).</summary>
    public float Scale { get; }

    /// <summary>The default confidence interval for a dimension: max(0.9, 1 − 1 / (dimension + 1)).</summary>
    public static float DefaultConfidence(int dimension) => Math.Max(0.9f, 1f - 1f / (dimension + 1));

    /// <summary>Finds the bounds from <paramref name="count"/> vectors stored one after another in <paramref name="vectors"/>.</summary>
    /// <param name="vectors">count × dimension floats.</param>
    /// <param name="dimension">Components per vector.</param>
    /// <param name="count">Number of vectors (at least 1).</param>
    /// <param name="confidence">Share of the components kept inside the bounds, in (0, 1]; see <see cref="DefaultConfidence"/>.</param>
    public static ScalarQuantizer FromVectors(ReadOnlySpan<float> vectors, int dimension, int count, float confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(confidence > 0f && confidence <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence interval must be in (0, 1].");
        }

        if ((long)count * dimension > vectors.Length)
        {
            throw new ArgumentException($"{count} vectors of dimension {dimension} need {(long)count * dimension} floats; the block has {vectors.Length}.", nameof(vectors));
        }

        // A deterministic, evenly spread sample: the same vectors give the same bounds.
        var sampled = Math.Min(count, SampleVectors);
        var step = count / (double)sampled;
        var batch = new float[BatchVectors * dimension];
        double lowerSum = 0, upperSum = 0;
        var batches = 0;
        for (var start = 0; start < sampled; start += BatchVectors)
        {
            var n = Math.Min(BatchVectors, sampled - start);
            for (var i = 0; i < n; i++)
            {
                var ord = (int)((start + i) * step);
                vectors.Slice(ord * dimension, dimension).CopyTo(batch.AsSpan(i * dimension));
            }

            var values = batch.AsSpan(0, n * dimension);
            values.Sort();
            var cut = (int)(values.Length * (1f - confidence) / 2f + 0.5f);
            lowerSum += values[Math.Min(cut, values.Length - 1)];
            upperSum += values[Math.Max(values.Length - 1 - cut, 0)];
            batches++;
        }

        var lower = (float)(lowerSum / batches);
        var upper = (float)(upperSum / batches);
        if (!(upper > lower))
        {
            upper = lower + Math.Max(Math.Abs(lower) * 1e-6f, 1e-6f); // constant components: any positive width works
        }

        return new ScalarQuantizer(lower, upper);
    }

    /// <summary>Quantizes <paramref name="vector"/> into <paramref name="destination"/> and returns its correction term
    /// (0 for Euclidean, which needs none).</summary>
    public float Quantize(ReadOnlySpan<float> vector, Span<byte> destination, VectorSimilarity similarity)
    {
        if (destination.Length < vector.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the vector has {vector.Length} components.", nameof(destination));
        }

        var lower = Lower;
        var upper = Upper;
        var correction = 0f;
        for (var i = 0; i < vector.Length; i++)
        {
            var v = vector[i];
            var dx = v - lower;
            var dxc = Math.Clamp(v, lower, upper) - lower;
            var q = MathF.Round(Scale * dxc);
            var dxq = q * Alpha;
            correction += lower * (v - lower / 2f) + (dx - dxq) * dxq;
            destination[i] = (byte)q;
        }

        return similarity == VectorSimilarity.Euclidean ? 0f : correction;
    }

    /// <summary>Σ a[i]·b[i] over two quantized vectors of <paramref name="length"/> bytes (values 0..127).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe int DotProduct(byte* a, byte* b, int length)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && length >= 32)
        {
            var acc = Vector256<int>.Zero;
            var ones = Vector256.Create((short)1);
            for (; i <= length - 32; i += 32)
            {
                // u8 × s8 pairs summed into i16 (values ≤ 127, so no saturation), then pairs of i16 into i32.
                var products = Avx2.MultiplyAddAdjacent(Avx.LoadVector256(a + i), Avx.LoadVector256((sbyte*)(b + i)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(products, ones));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Σ (a[i] − b[i])² over two quantized vectors of <paramref name="length"/> bytes (values 0..127).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe int SquareDistance(byte* a, byte* b, int length)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && length >= 16)
        {
            var acc = Vector256<int>.Zero;
            for (; i <= length - 16; i += 16)
            {
                var d = Avx2.Subtract(Avx2.ConvertToVector256Int16(Sse2.LoadVector128(a + i)), Avx2.ConvertToVector256Int16(Sse2.LoadVector128(b + i)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(d, d));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Managed overload of <see cref="DotProduct(byte*, byte*, int)"/>.</summary>
    public static unsafe int DotProduct(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.", nameof(b));
        }

        fixed (byte* pa = &MemoryMarshal.GetReference(a))
        fixed (byte* pb = &MemoryMarshal.GetReference(b))
        {
            return DotProduct(pa, pb, a.Length);
        }
    }

    /// <summary>Managed overload of <see cref="SquareDistance(byte*, byte*, int)"/>.</summary>
    public static unsafe int SquareDistance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.", nameof(b));
        }

        fixed (byte* pa = &MemoryMarshal.GetReference(a))
        fixed (byte* pb = &MemoryMarshal.GetReference(b))
        {
            return SquareDistance(pa, pb, a.Length);
        }
    }
}
