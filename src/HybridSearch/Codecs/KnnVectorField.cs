using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HybridSearch.Vectors;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>
/// A document field holding one float vector. It is checked when it is created — dimension, finite components, a
/// non-zero vector for cosine — so a bad vector never reaches the index writer. Cosine vectors are L2-normalised
/// here, once, so the graph and the kNN query can use a plain dot product.
/// </summary>
/// <remarks>The vector travels through Lucene's binary doc values pipeline as little-endian float32 bytes; the
/// <see cref="HybridCodec"/> routes the field to <see cref="HnswVectorsFormat"/>, which stores it with its graph.</remarks>
public sealed class KnnVectorField : Field
{
    private static readonly FieldType VectorFieldType = CreateFieldType();

    /// <summary>Creates the field.</summary>
    /// <param name="name">Field name; must be configured as a vector field in the writer's <see cref="HybridCodec"/>.</param>
    /// <param name="vector">The vector; copied.</param>
    /// <param name="options">The field's settings (the same instance the codec was given).</param>
    /// <exception cref="InvalidVectorException">Wrong dimension, NaN/infinite component, or a zero cosine vector.</exception>
    public KnnVectorField(string name, ReadOnlySpan<float> vector, VectorFieldOptions options)
        : base(name, VectorFieldType)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        FieldsData = new BytesRef(Encode(name, vector, options));
    }

    /// <summary>Validates a vector for a field, throwing <see cref="InvalidVectorException"/> when it is unusable.</summary>
    public static void Validate(string field, ReadOnlySpan<float> vector, VectorFieldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (vector.Length != options.Dimension)
        {
            throw new InvalidVectorException(field, $"expected dimension {options.Dimension} but the vector has {vector.Length} components.");
        }

        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new InvalidVectorException(field, $"component {i} is {vector[i]}; vectors must be finite.");
            }
        }

        if (options.Similarity == VectorSimilarity.Cosine && TensorPrimitives.Norm(vector) == 0f)
        {
            throw new InvalidVectorException(field, "the vector is all zeros, which has no direction for cosine similarity.");
        }
    }

    internal static byte[] Encode(string field, ReadOnlySpan<float> vector, VectorFieldOptions options)
    {
        Validate(field, vector, options);
        var bytes = new byte[vector.Length * sizeof(float)];
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
        vector.CopyTo(floats);
        if (options.Similarity == VectorSimilarity.Cosine)
        {
            VectorNormalization.NormalizeInPlace(floats);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("HybridSearch vectors are stored little-endian; big-endian platforms are not supported.");
        }

        return bytes;
    }

    private static FieldType CreateFieldType()
    {
        var type = new FieldType { DocValueType = DocValuesType.BINARY };
        type.Freeze();
        return type;
    }
}
