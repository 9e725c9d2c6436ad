using System.Runtime.InteropServices;
using HybridSearch.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>
/// One segment's vectors of one field, with their HNSW graph (and, for an int8 field, their quantized copies), as
/// opened by <see cref="HnswVectorsFormat"/>. Lucene hands it out as the field's <see cref="BinaryDocValues"/>;
/// <see cref="Querying.KnnVectorQuery"/> reaches the vectors and graph through it. The vectors, the quantized vectors
/// and the graph's level 0 stay in the memory-mapped index files (off the managed heap); only the upper graph levels
/// and, for a field that not every document has, the document-to-ordinal map are held in arrays. Immutable and safe
/// to share between threads while the segment's reader is open.
/// </summary>
public sealed unsafe class HnswVectorValues : BinaryDocValues
{
    private readonly float* _vectors;
    private readonly int* _ordToDoc;
    private readonly byte* _quantized;
    private readonly MappedFileSet _files;
    private int[]? _docToOrd; // built on first use, only for a sparse field

    internal HnswVectorValues(string field, VectorFieldOptions options, int maxDoc, int count, float* vectors, int* ordToDoc, byte* quantized, ScalarQuantizer? quantizer, HnswGraph graph, MappedFileSet files)
    {
        Field = field;
        Options = options;
        MaxDoc = maxDoc;
        Count = count;
        _vectors = vectors;
        _ordToDoc = ordToDoc;
        _quantized = quantized;
        Quantizer = quantizer;
        Graph = graph;
        _files = files;
    }

    /// <summary>The field name.</summary>
    public string Field { get; }

    /// <summary>The field's settings as recorded in the segment (dimension, similarity, graph parameters, embedder,
    /// quantization).</summary>
    public VectorFieldOptions Options { get; }

    /// <summary>Number of documents in the segment with a vector in this field.</summary>
    public int Count { get; }

    /// <summary>Number of documents in the segment.</summary>
    public int MaxDoc { get; }

    /// <summary>
    /// The vector of <paramref name="doc"/> (as stored: normalised for cosine), or empty when it has none. The span
    /// points into the mapped index file: use it while the segment's reader is open.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The segment's reader is closed.</exception>
    public ReadOnlySpan<float> GetVector(int doc)
    {
        if ((uint)doc >= (uint)MaxDoc)
        {
            throw new ArgumentOutOfRangeException(nameof(doc), doc, $"Document must be in 0..{MaxDoc - 1}.");
        }

        var ord = DocToOrd[doc];
        return ord < 0 ? ReadOnlySpan<float>.Empty : VectorOfOrdinal(ord);
    }

    /// <summary>The vector with ordinal <paramref name="ord"/> (0..Count-1), in the mapped file.</summary>
    internal ReadOnlySpan<float> VectorOfOrdinal(int ord)
    {
        ThrowIfClosed();
        ArgumentOutOfRangeException.ThrowIfNegative(ord);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ord, Count);
        return new ReadOnlySpan<float>(_vectors + (nint)ord * Options.Dimension, Options.Dimension);
    }

    /// <summary>The document of each ordinal, strictly increasing (in the mapped file).</summary>
    internal ReadOnlySpan<int> OrdToDoc
    {
        get
        {
            ThrowIfClosed();
            return new ReadOnlySpan<int>(_ordToDoc, Count);
        }
    }

    /// <summary>The ordinal of each document, -1 for documents without a vector. When every document has a vector the
    /// map is the identity and is the (mapped) <see cref="OrdToDoc"/>; otherwise it is built once, 4 bytes a document.</summary>
    internal ReadOnlySpan<int> DocToOrd
    {
        get
        {
            if (Count == MaxDoc)
            {
                return OrdToDoc;
            }

            ThrowIfClosed();
            return LazyInitializer.EnsureInitialized(ref _docToOrd, BuildDocToOrd);
        }
    }

    private int[] BuildDocToOrd()
    {
        var docToOrd = new int[MaxDoc];
        Array.Fill(docToOrd, -1);
        var ordToDoc = OrdToDoc;
        for (var ord = 0; ord < ordToDoc.Length; ord++)
        {
            var doc = ordToDoc[ord];
            if ((uint)doc >= (uint)MaxDoc)
            {
                throw new CorruptIndexException($"Vector field '{Field}': ordinal {ord} maps to document {doc}, outside 0..{MaxDoc - 1}.");
            }

            docToOrd[doc] = ord;
        }

        return docToOrd;
    }

    internal HnswGraph Graph { get; }

    private LevelOneSketch? _sketch;

    /// <summary>The 1-bit sketch of the graph's level-1 nodes (<see cref="LevelOneSketch"/>), built from the float
    /// vectors the first time a lost walk is rescued in this segment (opening stays O(metadata)); null for Euclidean
    /// fields, whose distances signs do not rank.</summary>
    internal LevelOneSketch? Sketch
    {
        get
        {
            if (Options.Similarity == VectorSimilarity.Euclidean || Graph.MaxLevel < 1)
            {
                return null;
            }

            return LazyInitializer.EnsureInitialized(ref _sketch, () => LevelOneSketch.Build(Graph, Options.Dimension, VectorOfOrdinal));
        }
    }

    /// <summary>The segment's quantizer when the field is int8-quantized in this segment, else null.</summary>
    internal ScalarQuantizer? Quantizer { get; }

    /// <summary>A scorer of the float vectors against <paramref name="query"/> (prepared as the field stores vectors).</summary>
    internal UnmanagedFloatQueryScorer FloatScorer(ReadOnlySpan<float> query)
    {
        ThrowIfClosed();
        return new UnmanagedFloatQueryScorer(_vectors, Count, Options.Dimension, Options.Similarity, query);
    }

    /// <summary>A scorer of the quantized vectors against <paramref name="query"/>; only when <see cref="Quantizer"/> is set.</summary>
    internal Int8QueryScorer QuantizedScorer(ReadOnlySpan<float> query)
    {
        ThrowIfClosed();
        var quantizer = Quantizer ?? throw new InvalidOperationException($"Vector field '{Field}' is not quantized in this segment.");
        return new Int8QueryScorer(_quantized, Count, Options.Dimension, Options.Similarity, quantizer, query);
    }

    /// <summary>Keeps the segment's files mapped until the returned lease is disposed, even if the reader is closed
    /// meanwhile. Take one around any search that reads the vectors through pointers.</summary>
    /// <exception cref="ObjectDisposedException">The segment's reader is already closed.</exception>
    internal FileLease Acquire() =>
        _files.TryAcquire() ? new FileLease(_files) : throw new ObjectDisposedException($"Vector field '{Field}'", "The segment's reader is closed.");

    /// <summary>True when the files are memory-mapped (not copied from a directory that is not on disk).</summary>
    internal bool IsMemoryMapped => _files.AllMapped;

    /// <summary>The segment's vector files as the directory lists them (its .cfs when compound), for error messages.</summary>
    internal string FileLocation => _files.Location;

    /// <summary>Managed heap held for this field (the mapped files are not counted: they are page cache).</summary>
    internal long RamBytesUsed()
    {
        long bytes = (long)(_docToOrd?.Length ?? 0) * sizeof(int) + (long)Count * IntPtr.Size; // docToOrd, upper-level index by node
        for (var level = 1; level <= Graph.MaxLevel; level++)
        {
            bytes += (long)(Graph.NodesOnLevel(level).Length + 2L * Graph.NeighboursOnLevel(level).Length) * sizeof(int);
        }

        return bytes;
    }

    private void ThrowIfClosed()
    {
        if (!_files.IsMapped)
        {
            throw new ObjectDisposedException($"Vector field '{Field}'", "The segment's reader is closed.");
        }
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

    /// <summary>A reference on the segment's mapped files; dispose it when the search is done.</summary>
    internal readonly struct FileLease(MappedFileSet files) : IDisposable
    {
        public void Dispose() => files.Release();
    }

    internal sealed class DocsWithVector(HnswVectorValues values) : IBits
    {
        public int Length => values.MaxDoc;

        public bool Get(int index) => values.DocToOrd[index] >= 0;
    }
}
