using System.Runtime.InteropServices;
using HybridSearch.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>
/// Buffers one field's vectors at a time (from a flush or a merge), builds its HNSW graph and writes the vectors to
/// .vec, the graph to .vex and, for an int8 field, the quantized vectors to .veq as it goes; each field's metadata
/// entry goes to .vem, which is closed when the segment's writer is disposed.
/// See <see cref="HnswVectorsFormat"/> for the byte layout.
/// </summary>
internal sealed class HnswVectorsWriter : DocValuesConsumer
{
    private const int CopyChunkBytes = 1 << 20;

    private readonly Func<string, VectorFieldOptions?> _fieldOptions;
    private readonly string _segment;
    private IndexOutput? _meta;
    private IndexOutput? _data;
    private IndexOutput? _index;
    private IndexOutput? _quantized;
    private readonly byte[] _copyBuffer = new byte[CopyChunkBytes];

    public HnswVectorsWriter(SegmentWriteState state, Func<string, VectorFieldOptions?> fieldOptions)
    {
        _fieldOptions = fieldOptions;
        _segment = state.SegmentInfo.Name;
        var success = false;
        try
        {
            _meta = Create(state, HnswVectorsFormat.MetaExtension, HnswVectorsFormat.MetaCodec);
            _data = Create(state, HnswVectorsFormat.DataExtension, HnswVectorsFormat.DataCodec);
            _index = Create(state, HnswVectorsFormat.IndexExtension, HnswVectorsFormat.IndexCodec);
            _quantized = Create(state, HnswVectorsFormat.QuantizedExtension, HnswVectorsFormat.QuantizedCodec);
            success = true;
        }
        finally
        {
            if (!success)
            {
                IOUtils.DisposeWhileHandlingException(_meta, _data, _index, _quantized);
            }
        }
    }

    private static IndexOutput Create(SegmentWriteState state, string extension, string codec)
    {
        var name = IndexFileNames.SegmentFileName(state.SegmentInfo.Name, state.SegmentSuffix, extension);
        var output = state.Directory.CreateOutput(name, state.Context);
        CodecUtil.WriteHeader(output, codec, HnswVectorsFormat.VersionCurrent);
        return output;
    }

    public override void AddBinaryField(FieldInfo field, IEnumerable<BytesRef> values)
    {
        var options = _fieldOptions(field.Name) ?? throw new InvalidOperationException(
            $"Field '{field.Name}' reached the HNSW vectors format without vector field options; open the IndexWriter with a HybridCodec that declares it.");
        // A merge keeps a graph: it starts from the largest incoming segment's graph and inserts the other segments'
        // vectors instead of building the merged graph from nothing.
        if (HnswMergeContext.For(field.Name) is { } merge)
        {
            var merged = HnswGraphMerger.Merge(field.Name, _segment, options, merge.MergeState, merge.ToMerge);
            using (merged.Quantized)
            {
                WriteField(field, options, merged.Vectors.AsSpan(0, merged.OrdToDoc.Length * options.Dimension), merged.OrdToDoc, merged.Graph, merged.Quantized);
            }

            return;
        }

        var dimension = options.Dimension;
        var vectorBytes = dimension * sizeof(float);

        // Collect vectors in document order: ordinal i is the i-th document that has a vector.
        var vectors = new float[Math.Max(dimension, 1024 * dimension)];
        var ordToDoc = new List<int>();
        var doc = 0;
        foreach (var value in values)
        {
            if (value is not null && value.Length > 0)
            {
                if (value.Length != vectorBytes)
                {
                    throw new InvalidVectorException(field.Name, $"document {doc} of segment {_segment} has {value.Length / (double)sizeof(float)} components; expected {dimension}.");
                }

                var ord = ordToDoc.Count;
                if ((long)(ord + 1) * dimension > vectors.Length)
                {
                    Array.Resize(ref vectors, (int)Math.Min((long)vectors.Length * 2, Array.MaxLength));
                }

                MemoryMarshal.Cast<byte, float>(value.Bytes.AsSpan(value.Offset, value.Length)).CopyTo(vectors.AsSpan(ord * dimension, dimension));
                ordToDoc.Add(doc);
            }

            doc++;
        }

        var count = ordToDoc.Count;
        var buildOptions = new HnswBuildOptions { M = options.M, EfConstruction = options.EfConstruction, Seed = options.Seed };
        var threads = options.EffectiveBuildThreads(count);
        if (options.Quantization == VectorQuantization.Int8)
        {
            // Quantize first and build on the int8 records, as Lucene's scalar-quantized format does: the walk reads
            // these scores anyway, and they cost a quarter of the float ones to compute.
            using var quantized = QuantizedVectorBlock.Quantize(vectors, dimension, count, options.Similarity);
            var int8Graph = quantized is null
                ? HnswGraphBuilder.Build(new FloatVectorScorer(vectors, dimension, options.Similarity), 0, buildOptions)
                : HnswGraphBuilder.BuildParallel(quantized.Scorer(options.Similarity), count, buildOptions, threads);
            WriteField(field, options, vectors.AsSpan(0, count * dimension), CollectionsMarshal.AsSpan(ordToDoc), int8Graph, quantized);
            return;
        }

        var graph = HnswGraphBuilder.BuildParallel(new FloatVectorScorer(vectors, dimension, options.Similarity), count, buildOptions, threads);
        WriteField(field, options, vectors.AsSpan(0, count * dimension), CollectionsMarshal.AsSpan(ordToDoc), graph, null);
    }

    /// <summary>
    /// Writes one field's vectors (in ordinal order), its ordinal-to-document map, its graph and — for an int8 field —
    /// its quantized vectors with this segment's quantization parameters, and the field's metadata entry. Flushes and
    /// merges both end here, whatever built the graph. For an int8 field, <c>quantized</c> holds the records the graph
    /// was built on (null only with no vectors); for a float field it is null.
    /// </summary>
    internal void WriteField(FieldInfo field, VectorFieldOptions options, ReadOnlySpan<float> vectors, ReadOnlySpan<int> ordToDoc, HnswGraph graph, QuantizedVectorBlock? quantized)
    {
        var dimension = options.Dimension;
        var count = ordToDoc.Length;
        if (vectors.Length != (long)count * dimension || graph.Count != count)
        {
            throw new ArgumentException($"Field '{field.Name}': {vectors.Length} floats, {count} documents and a graph of {graph.Count} nodes do not agree (dimension {dimension}).");
        }

        var data = _data!;
        Align(data);
        var dataOffset = data.Position;
        WriteLittleEndian(data, MemoryMarshal.AsBytes(vectors));
        WriteLittleEndian(data, MemoryMarshal.AsBytes(ordToDoc));
        var dataLength = data.Position - dataOffset;

        var index = _index!;
        Align(index);
        var indexOffset = index.Position;
        WriteLittleEndian(index, MemoryMarshal.AsBytes(graph.Level0));
        for (var level = 1; level <= graph.MaxLevel; level++)
        {
            WriteLittleEndian(index, MemoryMarshal.AsBytes(graph.NodesOnLevel(level)));
            WriteLittleEndian(index, MemoryMarshal.AsBytes(graph.NeighboursOnLevel(level)));
        }

        var indexLength = index.Position - indexOffset;

        ScalarQuantizer? quantizer = null;
        long quantizedOffset = 0, quantizedLength = 0;
        if (options.Quantization == VectorQuantization.Int8)
        {
            if (quantized is null ? count != 0 : quantized.Count != count || quantized.Dimension != dimension)
            {
                throw new ArgumentException($"Field '{field.Name}': the quantized records ({quantized?.Count ?? 0} of dimension {quantized?.Dimension ?? dimension}) do not match {count} vectors of dimension {dimension}.", nameof(quantized));
            }

            (quantizer, quantizedOffset, quantizedLength) = WriteQuantized(quantized);
        }

        var meta = _meta!;
        meta.WriteInt32(field.Number);
        meta.WriteString(options.Embedder);
        meta.WriteVInt32(dimension);
        meta.WriteByte((byte)options.Similarity);
        meta.WriteVInt32(options.M);
        meta.WriteVInt32(options.EfConstruction);
        meta.WriteInt64(options.Seed);
        meta.WriteVInt32(count);
        meta.WriteInt64(dataOffset);
        meta.WriteInt64(dataLength);
        meta.WriteInt64(indexOffset);
        meta.WriteInt64(indexLength);
        meta.WriteVInt32(graph.MaxLevel);
        meta.WriteInt32(graph.EntryPoint);
        for (var level = 1; level <= graph.MaxLevel; level++)
        {
            meta.WriteVInt32(graph.NodesOnLevel(level).Length);
        }

        meta.WriteByte((byte)options.Quantization);
        if (options.Quantization == VectorQuantization.Int8)
        {
            meta.WriteInt32(BitConverter.SingleToInt32Bits(quantizer?.Lower ?? 0f));
            meta.WriteInt32(BitConverter.SingleToInt32Bits(quantizer?.Upper ?? 0f));
            meta.WriteInt64(quantizedOffset);
            meta.WriteInt64(quantizedLength);
        }

        // Readers can tell at a glance which embedder made a field's vectors.
        field.PutAttribute("hnsw.embedder", options.Embedder);
        field.PutAttribute("hnsw.dimension", dimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
        field.PutAttribute("hnsw.similarity", options.Similarity.ToString());
    }

    /// <summary>Writes the records (each vector's 7-bit copy and correction) to .veq.</summary>
    private (ScalarQuantizer? Quantizer, long Offset, long Length) WriteQuantized(QuantizedVectorBlock? quantized)
    {
        var output = _quantized!;
        Align(output);
        var offset = output.Position;
        if (quantized is null)
        {
            return (null, offset, 0);
        }

        var perChunk = Math.Max(1, _copyBuffer.Length / quantized.RecordBytes);
        for (var start = 0; start < quantized.Count; start += perChunk)
        {
            var n = Math.Min(perChunk, quantized.Count - start);
            quantized.Records(start, n).CopyTo(_copyBuffer);
            output.WriteBytes(_copyBuffer, 0, n * quantized.RecordBytes);
        }

        return (quantized.Quantizer, offset, output.Position - offset);
    }

    /// <summary>Pads with zeros to a multiple of 64 bytes, so blocks read through pointers start on a cache line
    /// (in a file of its own; a compound file shifts them, which costs only speed).</summary>
    private static void Align(IndexOutput output)
    {
        while (output.Position % HnswVectorsFormat.BlockAlignment != 0)
        {
            output.WriteByte(0);
        }
    }

    private void WriteLittleEndian(IndexOutput output, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var n = Math.Min(bytes.Length, _copyBuffer.Length);
            bytes[..n].CopyTo(_copyBuffer);
            output.WriteBytes(_copyBuffer, 0, n);
            bytes = bytes[n..];
        }
    }

    public override void AddNumericField(FieldInfo field, IEnumerable<long?> values) => throw NotAVectorField(field, "numeric");

    public override void AddSortedField(FieldInfo field, IEnumerable<BytesRef> values, IEnumerable<long?> docToOrd) => throw NotAVectorField(field, "sorted");

    public override void AddSortedSetField(FieldInfo field, IEnumerable<BytesRef> values, IEnumerable<long?> docToOrdCount, IEnumerable<long?> ords) => throw NotAVectorField(field, "sorted set");

    private static InvalidOperationException NotAVectorField(FieldInfo field, string kind) =>
        new($"Field '{field.Name}' is declared as a vector field but was given {kind} doc values; a vector field only takes KnnVectorField values.");

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        var success = false;
        try
        {
            if (_meta is not null)
            {
                _meta.WriteInt32(-1);
                CodecUtil.WriteFooter(_meta);
            }

            if (_data is not null)
            {
                CodecUtil.WriteFooter(_data);
            }

            if (_index is not null)
            {
                CodecUtil.WriteFooter(_index);
            }

            if (_quantized is not null)
            {
                CodecUtil.WriteFooter(_quantized);
            }

            success = true;
        }
        finally
        {
            if (success)
            {
                IOUtils.Dispose(_meta, _data, _index, _quantized);
            }
            else
            {
                IOUtils.DisposeWhileHandlingException(_meta, _data, _index, _quantized);
            }

            _meta = _data = _index = _quantized = null;
        }
    }
}
