using System.Runtime.InteropServices;
using HybridSearch.Graph;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>
/// One segment's vectors of one field, with their HNSW graph, as loaded by <see cref="HnswVectorsFormat"/>. Lucene
/// hands it out as the field's <see cref="BinaryDocValues"/>; <see cref="Querying.KnnVectorQuery"/> reaches the
/// vectors and graph through it. Immutable and safe to share between threads.
/// </summary>
public sealed class HnswVectorValues : BinaryDocValues
{
    internal HnswVectorValues(string field, VectorFieldOptions options, int maxDoc, float[] vectors, int[] ordToDoc, HnswGraph graph)
    {
        Field = field;
        Options = options;
        MaxDoc = maxDoc;
        Vectors = vectors;
        OrdToDoc = ordToDoc;
        Graph = graph;
        DocToOrd = new int[maxDoc];
        Array.Fill(DocToOrd, -1);
        for (var ord = 0; ord < ordToDoc.Length; ord++)
        {
            DocToOrd[ordToDoc[ord]] = ord;
        }
    }

    /// <summary>The field name.</summary>
    public string Field { get; }

    /// <summary>The field's settings as recorded in the segment (dimension, similarity, graph parameters, embedder).</summary>
    public VectorFieldOptions Options { get; }

    /// <summary>Number of documents in the segment with a vector in this field.</summary>
    public int Count => OrdToDoc.Length;

    /// <summary>Number of documents in the segment.</summary>
    public int MaxDoc { get; }

    /// <summary>The vector of <paramref name="doc"/> (as stored: normalised for cosine), or empty when it has none.</summary>
    public ReadOnlySpan<float> GetVector(int doc)
    {
        if ((uint)doc >= (uint)MaxDoc)
        {
            throw new ArgumentOutOfRangeException(nameof(doc), doc, $"Document must be in 0..{MaxDoc - 1}.");
        }

        var ord = DocToOrd[doc];
        return ord < 0 ? ReadOnlySpan<float>.Empty : Vectors.AsSpan(ord * Options.Dimension, Options.Dimension);
    }

    internal float[] Vectors { get; }

    internal int[] OrdToDoc { get; }

    internal int[] DocToOrd { get; }

    internal HnswGraph Graph { get; }

    internal long RamBytesUsed() =>
        (long)Vectors.Length * sizeof(float) + (long)OrdToDoc.Length * sizeof(int) + (long)DocToOrd.Length * sizeof(int) + GraphBytes();

    private long GraphBytes()
    {
        long bytes = (long)Graph.Level0.Length * sizeof(int);
        for (var level = 1; level <= Graph.MaxLevel; level++)
        {
            bytes += (long)(Graph.NodesOnLevel(level).Length + Graph.NeighboursOnLevel(level).Length) * sizeof(int);
        }

        return bytes;
    }

    /// <inheritdoc />
    public override void Get(int docID, BytesRef result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var vector = GetVector(docID);
        var bytes = MemoryMarshal.AsBytes(vector).ToArray();
        result.Bytes = bytes;
        result.Offset = 0;
        result.Length = bytes.Length;
    }

    internal sealed class DocsWithVector(int[] docToOrd) : IBits
    {
        public int Length => docToOrd.Length;

        public bool Get(int index) => docToOrd[index] >= 0;
    }
}
