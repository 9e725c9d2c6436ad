using System.Runtime.InteropServices;
using HybridSearch.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>
/// Opens a segment's .vem/.vec/.vex files, verifies their headers and checksums, and loads every field's vectors and
/// graph into memory (one contiguous float block per field, graph levels as flat int arrays). See
/// <see cref="HnswVectorsFormat"/> for the layout.
/// </summary>
internal sealed class HnswVectorsReader : DocValuesProducer
{
    private const int CopyChunkBytes = 1 << 20;

    private readonly Dictionary<int, HnswVectorValues> _fields = new();
    private readonly IndexInput _data;
    private readonly IndexInput _index;
    private readonly string _dataName;
    private readonly string _indexName;

    public HnswVectorsReader(SegmentReadState state)
    {
        var maxDoc = state.SegmentInfo.DocCount;
        var metaName = IndexFileNames.SegmentFileName(state.SegmentInfo.Name, state.SegmentSuffix, HnswVectorsFormat.MetaExtension);
        _dataName = IndexFileNames.SegmentFileName(state.SegmentInfo.Name, state.SegmentSuffix, HnswVectorsFormat.DataExtension);
        _indexName = IndexFileNames.SegmentFileName(state.SegmentInfo.Name, state.SegmentSuffix, HnswVectorsFormat.IndexExtension);

        var entries = new List<FieldEntry>();
        using (var meta = state.Directory.OpenChecksumInput(metaName, state.Context))
        {
            CodecUtil.CheckHeader(meta, HnswVectorsFormat.MetaCodec, HnswVectorsFormat.VersionStart, HnswVectorsFormat.VersionCurrent);
            for (var number = meta.ReadInt32(); number != -1; number = meta.ReadInt32())
            {
                entries.Add(ReadEntry(meta, number, state.FieldInfos, metaName, maxDoc));
            }

            VerifyFooter(meta, metaName);
        }

        var success = false;
        IndexInput? data = null;
        IndexInput? index = null;
        try
        {
            data = state.Directory.OpenInput(_dataName, state.Context);
            index = state.Directory.OpenInput(_indexName, state.Context);
            var vectorsByField = LoadVectors(state, entries);
            LoadGraphs(state, entries, vectorsByField, maxDoc);
            _data = data;
            _index = index;
            success = true;
        }
        finally
        {
            if (!success)
            {
                IOUtils.DisposeWhileHandlingException(data, index);
            }
        }
    }

    private sealed record FieldEntry(
        FieldInfo Info,
        VectorFieldOptions Options,
        int Count,
        long DataOffset,
        long DataLength,
        long IndexOffset,
        long IndexLength,
        int MaxLevel,
        int EntryPoint,
        int[] LevelCounts);

    private static FieldEntry ReadEntry(ChecksumIndexInput meta, int number, FieldInfos infos, string metaName, int maxDoc)
    {
        var info = infos.FieldInfo(number) ?? throw new CorruptIndexException($"{metaName}: unknown field number {number}.");
        var embedder = meta.ReadString();
        var dimension = meta.ReadVInt32();
        var similarity = meta.ReadByte();
        var m = meta.ReadVInt32();
        var efConstruction = meta.ReadVInt32();
        var seed = meta.ReadInt64();
        if (dimension < 1 || dimension > VectorFieldOptions.MaxDimension || similarity > (byte)VectorSimilarity.Euclidean || m < 2 || efConstruction < 1)
        {
            throw new CorruptIndexException($"{metaName}: field '{info.Name}' has invalid settings (dimension {dimension}, similarity {similarity}, M {m}, efConstruction {efConstruction}).");
        }

        var options = new VectorFieldOptions(dimension, (VectorSimilarity)similarity) { M = m, EfConstruction = efConstruction, Seed = seed, Embedder = embedder };
        var count = meta.ReadVInt32();
        var dataOffset = meta.ReadInt64();
        var dataLength = meta.ReadInt64();
        var indexOffset = meta.ReadInt64();
        var indexLength = meta.ReadInt64();
        var maxLevel = meta.ReadVInt32();
        var entryPoint = meta.ReadInt32();
        if (count < 0 || count > maxDoc || maxLevel < 0 || maxLevel > 64 || entryPoint < -1 || entryPoint >= Math.Max(count, 1))
        {
            throw new CorruptIndexException($"{metaName}: field '{info.Name}' has invalid counts (vectors {count} of {maxDoc} documents, max level {maxLevel}, entry point {entryPoint}).");
        }

        var levelCounts = new int[maxLevel + 1];
        levelCounts[0] = count;
        for (var level = 1; level <= maxLevel; level++)
        {
            levelCounts[level] = meta.ReadVInt32();
            if (levelCounts[level] < 1 || levelCounts[level] > levelCounts[level - 1])
            {
                throw new CorruptIndexException($"{metaName}: field '{info.Name}' level {level} has {levelCounts[level]} nodes.");
            }
        }

        var expectedData = (long)count * dimension * sizeof(float) + (long)count * sizeof(int);
        if (dataLength != expectedData)
        {
            throw new CorruptIndexException($"{metaName}: field '{info.Name}' vector block is {dataLength} bytes, expected {expectedData}.");
        }

        return new FieldEntry(info, options, count, dataOffset, dataLength, indexOffset, indexLength, maxLevel, entryPoint, levelCounts);
    }

    private Dictionary<int, (float[] Vectors, int[] OrdToDoc)> LoadVectors(SegmentReadState state, List<FieldEntry> entries)
    {
        var result = new Dictionary<int, (float[], int[])>();
        using var input = state.Directory.OpenChecksumInput(_dataName, state.Context);
        CodecUtil.CheckHeader(input, HnswVectorsFormat.DataCodec, HnswVectorsFormat.VersionStart, HnswVectorsFormat.VersionCurrent);
        var buffer = new byte[CopyChunkBytes];
        foreach (var entry in entries.OrderBy(e => e.DataOffset))
        {
            if (input.Position != entry.DataOffset)
            {
                throw new CorruptIndexException($"{_dataName}: field '{entry.Info.Name}' starts at {entry.DataOffset}, expected {input.Position}.");
            }

            var vectors = new float[(long)entry.Count * entry.Options.Dimension];
            ReadLittleEndian(input, MemoryMarshal.AsBytes(vectors.AsSpan()), buffer);
            var ordToDoc = new int[entry.Count];
            ReadLittleEndian(input, MemoryMarshal.AsBytes(ordToDoc.AsSpan()), buffer);
            result[entry.Info.Number] = (vectors, ordToDoc);
        }

        VerifyFooter(input, _dataName);

        foreach (var entry in entries)
        {
            var ordToDoc = result[entry.Info.Number].Item2;
            var previous = -1;
            foreach (var doc in ordToDoc)
            {
                if (doc <= previous || doc >= state.SegmentInfo.DocCount)
                {
                    throw new CorruptIndexException($"{_dataName}: field '{entry.Info.Name}' has an invalid document {doc} in its ordinal map.");
                }

                previous = doc;
            }
        }

        return result;
    }

    private void LoadGraphs(SegmentReadState state, List<FieldEntry> entries, Dictionary<int, (float[] Vectors, int[] OrdToDoc)> vectors, int maxDoc)
    {
        using var input = state.Directory.OpenChecksumInput(_indexName, state.Context);
        CodecUtil.CheckHeader(input, HnswVectorsFormat.IndexCodec, HnswVectorsFormat.VersionStart, HnswVectorsFormat.VersionCurrent);
        var buffer = new byte[CopyChunkBytes];
        foreach (var entry in entries.OrderBy(e => e.IndexOffset))
        {
            if (input.Position != entry.IndexOffset)
            {
                throw new CorruptIndexException($"{_indexName}: field '{entry.Info.Name}' starts at {entry.IndexOffset}, expected {input.Position}.");
            }

            var m = entry.Options.M;
            var level0 = new int[(long)entry.Count * (2 * m + 1)];
            ReadLittleEndian(input, MemoryMarshal.AsBytes(level0.AsSpan()), buffer);
            var upperNodes = new int[entry.MaxLevel][];
            var upperNeighbours = new int[entry.MaxLevel][];
            for (var level = 1; level <= entry.MaxLevel; level++)
            {
                var n = entry.LevelCounts[level];
                upperNodes[level - 1] = new int[n];
                ReadLittleEndian(input, MemoryMarshal.AsBytes(upperNodes[level - 1].AsSpan()), buffer);
                upperNeighbours[level - 1] = new int[(long)n * (m + 1)];
                ReadLittleEndian(input, MemoryMarshal.AsBytes(upperNeighbours[level - 1].AsSpan()), buffer);
            }

            if (input.Position - entry.IndexOffset != entry.IndexLength)
            {
                throw new CorruptIndexException($"{_indexName}: field '{entry.Info.Name}' graph is {input.Position - entry.IndexOffset} bytes, expected {entry.IndexLength}.");
            }

            HnswGraph graph;
            try
            {
                graph = HnswGraph.FromArrays(entry.Count, m, entry.MaxLevel, entry.EntryPoint, level0, upperNodes, upperNeighbours);
            }
            catch (InvalidDataException e)
            {
                throw new CorruptIndexException($"{_indexName}: field '{entry.Info.Name}' graph is invalid: {e.Message}", e);
            }

            var (vectorBlock, ordToDoc) = vectors[entry.Info.Number];
            _fields[entry.Info.Number] = new HnswVectorValues(entry.Info.Name, entry.Options, maxDoc, vectorBlock, ordToDoc, graph);
        }

        VerifyFooter(input, _indexName);
    }

    private static void VerifyFooter(ChecksumIndexInput input, string fileName) => Verify(fileName, () => CodecUtil.CheckFooter(input));

    // Lucene.Net reports a checksum mismatch as a plain IOException; callers are promised a CorruptIndexException naming the file.
    private static void Verify(string fileName, Func<long> check)
    {
        try
        {
            check();
        }
        catch (CorruptIndexException)
        {
            throw;
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new CorruptIndexException($"{fileName}: {e.Message}", e);
        }
    }

    private static void ReadLittleEndian(IndexInput input, Span<byte> target, byte[] buffer)
    {
        while (!target.IsEmpty)
        {
            var n = Math.Min(target.Length, buffer.Length);
            input.ReadBytes(buffer, 0, n);
            buffer.AsSpan(0, n).CopyTo(target);
            target = target[n..];
        }
    }

    public override BinaryDocValues GetBinary(FieldInfo field) =>
        _fields.TryGetValue(field.Number, out var values)
            ? values
            : throw new InvalidOperationException($"Field '{field.Name}' has no vectors in this segment.");

    public override IBits GetDocsWithField(FieldInfo field) =>
        _fields.TryGetValue(field.Number, out var values)
            ? new HnswVectorValues.DocsWithVector(values.DocToOrd)
            : new Bits.MatchNoBits(0);

    public override NumericDocValues GetNumeric(FieldInfo field) => throw NotNumeric(field);

    public override SortedDocValues GetSorted(FieldInfo field) => throw NotNumeric(field);

    public override SortedSetDocValues GetSortedSet(FieldInfo field) => throw NotNumeric(field);

    private static InvalidOperationException NotNumeric(FieldInfo field) =>
        new($"Field '{field.Name}' is a vector field; it has no numeric or sorted doc values.");

    public override long RamBytesUsed() => _fields.Values.Sum(v => v.RamBytesUsed());

    public override void CheckIntegrity()
    {
        // The whole of each file is checksummed again, so damage after open is found too.
        Verify(_dataName, () => CodecUtil.ChecksumEntireFile((IndexInput)_data.Clone()));
        Verify(_indexName, () => CodecUtil.ChecksumEntireFile((IndexInput)_index.Clone()));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            IOUtils.Dispose(_data, _index);
        }
    }
}
