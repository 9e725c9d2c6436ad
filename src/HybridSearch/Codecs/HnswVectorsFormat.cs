using Lucene.Net.Codecs;
using Lucene.Net.Index;

namespace HybridSearch.Codecs;

/// <summary>
/// Stores the float vectors of a field, an HNSW graph over them and, for an int8 field, their scalar-quantized copies,
/// per segment, as a Lucene doc values format. The <see cref="HybridCodec"/> routes vector fields here; Lucene calls
/// it at flush and at merge (with live documents only, so a merged segment gets a fresh graph and fresh quantization
/// parameters over its surviving vectors), and commits its files atomically with the rest. Segments of the previous
/// format, <see cref="HnswVectors10Format"/>, stay readable; a merge rewrites them in this one.
/// </summary>
/// <remarks>
/// <para>Four files per segment (the suffix is added by Lucene's per-field doc values format). Every file starts with
/// <c>CodecUtil.WriteHeader(codecName, version)</c> and ends with <c>CodecUtil.WriteFooter</c> (CRC32 checksum).
/// Integers written with <c>WriteInt32</c>/<c>WriteInt64</c>/<c>WriteVInt32</c> are Lucene's big-endian/variable
/// encodings; bulk arrays ("LE") are raw little-endian bytes, read in place through a memory map. Version 1 (this
/// format) pads each field's blocks with zeros to a multiple of 64 bytes from the file start ("aligned"); version 0
/// (<see cref="HnswVectors10Format"/>) has no padding, no quantization entries and no .veq file.</para>
/// <para><b>.vem</b> (metadata, codec <c>HnswVectorsMeta</c>), then per field, in write order:
/// <list type="number">
/// <item>int32 field number (-1 ends the list)</item>
/// <item>string embedder name (may be empty)</item>
/// <item>vint32 dimension; byte similarity (0 cosine, 1 dot product, 2 Euclidean)</item>
/// <item>vint32 M; vint32 efConstruction; int64 seed</item>
/// <item>vint32 vector count (documents of the segment with a vector)</item>
/// <item>int64 offset and int64 length of the field's block in .vec</item>
/// <item>int64 offset and int64 length of the field's block in .vex</item>
/// <item>vint32 max level; int32 entry point ordinal (-1 when the field has no vectors)</item>
/// <item>for each level 1..max level: vint32 number of nodes on that level</item>
/// <item>(version 1) byte quantization (0 none, 1 int8); for int8: float32 lower and float32 upper quantile (as int32
/// bits; 0 when the field has no vectors), int64 offset and int64 length of the field's block in .veq</item>
/// </list></para>
/// <para><b>.vec</b> (vector data, codec <c>HnswVectorsData</c>), per field: aligned, count × dimension float32 LE
/// (vector of ordinal i at i × dimension; cosine vectors are stored L2-normalised), then count int32 LE: the document
/// of each ordinal, strictly increasing.</para>
/// <para><b>.vex</b> (graph, codec <c>HnswVectorsIndex</c>), per field: aligned, level 0 as count × (2M + 1) int32 LE —
/// per node its neighbour count then up to 2M neighbour ordinals, padded; then for each level 1..max level: the sorted
/// ordinals of the nodes on it (int32 LE) and their neighbour lists, stride M + 1 (count, then up to M ordinals).</para>
/// <para><b>.veq</b> (quantized vectors, codec <c>HnswVectorsQuantized</c>, version 1), per int8 field: aligned, count
/// records of dimension bytes (7-bit values 0..127, <see cref="Vectors.ScalarQuantizer"/>) followed by the vector's
/// float32 LE correction term. Fields without quantization have no block; the file always exists.</para>
/// <para>Opening reads the metadata (verifying its whole checksum), checks the other files' headers and footers, maps
/// them and reads only the upper graph levels: vectors, quantized vectors, the ordinal map and level 0 are used in
/// place, off the managed heap. <c>CheckIntegrity</c> (CheckIndex, <c>hybridsearch check</c>, merges) verifies every
/// file's whole checksum, the ordinal maps and every neighbour list, so a flipped byte is a
/// <see cref="CorruptIndexException"/> naming the file or field.</para>
/// </remarks>
[DocValuesFormatName(FormatName)]
public sealed class HnswVectorsFormat : DocValuesFormat
{
    /// <summary>The name under which Lucene finds this format when it opens a segment.</summary>
    public const string FormatName = "HnswVectors11";

    internal const string MetaCodec = "HnswVectorsMeta";
    internal const string DataCodec = "HnswVectorsData";
    internal const string IndexCodec = "HnswVectorsIndex";
    internal const string QuantizedCodec = "HnswVectorsQuantized";
    internal const string MetaExtension = "vem";
    internal const string DataExtension = "vec";
    internal const string IndexExtension = "vex";
    internal const string QuantizedExtension = "veq";

    /// <summary>First version of the files (<see cref="HnswVectors10Format"/>).</summary>
    internal const int VersionStart = 0;

    /// <summary>Aligned blocks, quantization entries in the metadata, the .veq file.</summary>
    internal const int VersionQuantized = 1;

    /// <summary>The version written now; a change of layout bumps it.</summary>
    internal const int VersionCurrent = VersionQuantized;

    /// <summary>Blocks start at multiples of this many bytes (a cache line).</summary>
    internal const int BlockAlignment = 64;

    private readonly Func<string, VectorFieldOptions?> _fieldOptions;

    /// <summary>Creates the format for reading (Lucene's service loader uses this). Writing a field needs options, so
    /// a writer built from this constructor rejects vector fields; use <see cref="HybridCodec"/> with a schema.</summary>
    public HnswVectorsFormat()
        : this(static _ => null)
    {
    }

    /// <summary>Creates the format for writing, with the settings of each vector field.</summary>
    /// <param name="fieldOptions">Returns a field's options, or null when the field is not a vector field.</param>
    public HnswVectorsFormat(Func<string, VectorFieldOptions?> fieldOptions)
    {
        ArgumentNullException.ThrowIfNull(fieldOptions);
        _fieldOptions = fieldOptions;
    }

    /// <inheritdoc />
    public override DocValuesConsumer FieldsConsumer(SegmentWriteState state) => new HnswVectorsWriter(state, _fieldOptions);

    /// <inheritdoc />
    public override DocValuesProducer FieldsProducer(SegmentReadState state) => new HnswVectorsReader(state);
}
