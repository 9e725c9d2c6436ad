using HybridSearch.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HybridSearch.Codecs;

/// <summary>
/// Opens a segment's vector files (.vem, .vec, .vex and, from version 1, .veq) of either version. Opening reads the
/// metadata (whole-file checksum: it is small), checks each other file's header and footer, maps the files into memory
/// (<see cref="MappedIndexFile"/>) and reads only the upper graph levels into arrays: O(metadata), not O(vectors).
/// The full checksums of the large files, the ordinal maps and every level 0 neighbour list are verified by
/// <see cref="CheckIntegrity"/> (CheckIndex, <c>hybridsearch check</c>, merges), as Lucene does. See
/// <see cref="HnswVectorsFormat"/> for the layout.
/// </summary>
internal sealed unsafe class HnswVectorsReader : DocValuesProducer
{
    private readonly Dictionary<int, HnswVectorValues> _fields = new();
    private readonly List<string> _fileNames = new(); // checksummed whole by CheckIntegrity
    private readonly Lucene.Net.Store.Directory _directory;
    private readonly MappedFileSet _files;
    private readonly int _maxDoc;

    public HnswVectorsReader(SegmentReadState state)
    {
        _maxDoc = state.SegmentInfo.DocCount;
        _directory = state.Directory; // a compound file's directory stays open as long as the segment's core
        var metaName = FileName(state, HnswVectorsFormat.MetaExtension);
        var dataName = FileName(state, HnswVectorsFormat.DataExtension);
        var indexName = FileName(state, HnswVectorsFormat.IndexExtension);
        var quantizedName = FileName(state, HnswVectorsFormat.QuantizedExtension);

        int version;
        var entries = new List<FieldEntry>();
        using (var meta = state.Directory.OpenChecksumInput(metaName, state.Context))
        {
            version = CodecUtil.CheckHeader(meta, HnswVectorsFormat.MetaCodec, HnswVectorsFormat.VersionStart, HnswVectorsFormat.VersionCurrent);
            for (var number = meta.ReadInt32(); number != -1; number = meta.ReadInt32())
            {
                entries.Add(ReadEntry(meta, version, number, state.FieldInfos, metaName, _maxDoc));
            }

            VerifyFooter(meta, metaName);
        }

        var mapped = new List<MappedIndexFile>();
        var success = false;
        try
        {
            var data = OpenFile(state, dataName, HnswVectorsFormat.DataCodec, version, mapped);
            var index = OpenFile(state, indexName, HnswVectorsFormat.IndexCodec, version, mapped);
            var quantized = version >= HnswVectorsFormat.VersionQuantized
                ? OpenFile(state, quantizedName, HnswVectorsFormat.QuantizedCodec, version, mapped)
                : null;
            var location = state.Directory is CompoundFileDirectory
                ? IndexFileNames.SegmentFileName(state.SegmentInfo.Name, string.Empty, IndexFileNames.COMPOUND_FILE_EXTENSION)
                : string.Join(", ", _fileNames);
            _files = new MappedFileSet(mapped, location);
            foreach (var entry in entries)
            {
                _fields[entry.Info.Number] = OpenField(entry, data, index, quantized);
            }

            success = true;
        }
        finally
        {
            if (!success)
            {
                foreach (var file in mapped)
                {
                    file.Dispose();
                }
            }
        }
    }

    private static string FileName(SegmentReadState state, string extension) =>
        IndexFileNames.SegmentFileName(state.SegmentInfo.Name, state.SegmentSuffix, extension);

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
        int[] LevelCounts,
        ScalarQuantizer? Quantizer,
        long QuantizedOffset,
        long QuantizedLength);

    private static FieldEntry ReadEntry(ChecksumIndexInput meta, int version, int number, FieldInfos infos, string metaName, int maxDoc)
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

        ScalarQuantizer? quantizer = null;
        long quantizedOffset = 0, quantizedLength = 0;
        var quantization = VectorQuantization.None;
        if (version >= HnswVectorsFormat.VersionQuantized)
        {
            var kind = meta.ReadByte();
            if (kind > (byte)VectorQuantization.Int8)
            {
                throw new CorruptIndexException($"{metaName}: field '{info.Name}' has unknown quantization {kind}.");
            }

            quantization = (VectorQuantization)kind;
            if (quantization == VectorQuantization.Int8)
            {
                var lower = BitConverter.Int32BitsToSingle(meta.ReadInt32());
                var upper = BitConverter.Int32BitsToSingle(meta.ReadInt32());
                quantizedOffset = meta.ReadInt64();
                quantizedLength = meta.ReadInt64();
                if (count > 0)
                {
                    if (!float.IsFinite(lower) || !float.IsFinite(upper) || !(upper > lower))
                    {
                        throw new CorruptIndexException($"{metaName}: field '{info.Name}' has invalid quantization bounds [{lower}, {upper}].");
                    }

                    quantizer = new ScalarQuantizer(lower, upper);
                }

                var expectedQuantized = (long)count * Int8QueryScorer.RecordBytes(dimension);
                if (quantizedLength != expectedQuantized)
                {
                    throw new CorruptIndexException($"{metaName}: field '{info.Name}' quantized block is {quantizedLength} bytes, expected {expectedQuantized}.");
                }
            }
        }

        var options = new VectorFieldOptions(dimension, (VectorSimilarity)similarity)
        {
            M = m,
            EfConstruction = efConstruction,
            Seed = seed,
            Embedder = embedder,
            Quantization = quantization,
        };
        var expectedData = (long)count * dimension * sizeof(float) + (long)count * sizeof(int);
        if (dataLength != expectedData)
        {
            throw new CorruptIndexException($"{metaName}: field '{info.Name}' vector block is {dataLength} bytes, expected {expectedData}.");
        }

        return new FieldEntry(info, options, count, dataOffset, dataLength, indexOffset, indexLength, maxLevel, entryPoint, levelCounts, quantizer, quantizedOffset, quantizedLength);
    }

    /// <summary>Checks the header and the footer's structure (not the whole checksum: that is CheckIntegrity's), then maps the file.</summary>
    private MappedIndexFile OpenFile(SegmentReadState state, string name, string codec, int version, List<MappedIndexFile> mapped)
    {
        using var input = state.Directory.OpenInput(name, state.Context);
        _fileNames.Add(name);
        var header = CodecUtil.CheckHeader(input, codec, HnswVectorsFormat.VersionStart, HnswVectorsFormat.VersionCurrent);
        if (header != version)
        {
            throw new CorruptIndexException($"{name}: version {header}, but the metadata has version {version}.");
        }

        Verify(name, () => CodecUtil.RetrieveChecksum(input));
        var file = MappedIndexFile.Open(state, name, input.Length);
        mapped.Add(file);
        return file;
    }

    private HnswVectorValues OpenField(FieldEntry entry, MappedIndexFile data, MappedIndexFile index, MappedIndexFile? quantized)
    {
        var name = entry.Info.Name;
        var dimension = entry.Options.Dimension;
        var m = entry.Options.M;
        CheckRange(data, entry.DataOffset, entry.DataLength, name);
        CheckRange(index, entry.IndexOffset, entry.IndexLength, name);
        var vectors = (float*)(data.Pointer + entry.DataOffset);
        var ordToDoc = (int*)(data.Pointer + entry.DataOffset + (long)entry.Count * dimension * sizeof(float));
        byte* quantizedVectors = null;
        if (entry.Quantizer is not null)
        {
            if (quantized is null)
            {
                throw new CorruptIndexException($"Field '{name}' is quantized but the segment has no quantized vectors file.");
            }

            CheckRange(quantized, entry.QuantizedOffset, entry.QuantizedLength, name);
            quantizedVectors = quantized.Pointer + entry.QuantizedOffset;
        }

        var level0Ints = (long)entry.Count * (2 * m + 1);
        if (level0Ints > int.MaxValue)
        {
            throw new CorruptIndexException($"{index.Name}: field '{name}' level 0 of {entry.Count} nodes exceeds one block.");
        }

        // Upper levels (about one node in M) are read into arrays; level 0 stays in the mapped file.
        long position = entry.IndexOffset + level0Ints * sizeof(int);
        var upperNodes = new int[entry.MaxLevel][];
        var upperNeighbours = new int[entry.MaxLevel][];
        for (var level = 1; level <= entry.MaxLevel; level++)
        {
            var n = entry.LevelCounts[level];
            upperNodes[level - 1] = ReadInts(index, ref position, n, entry);
            upperNeighbours[level - 1] = ReadInts(index, ref position, (long)n * (m + 1), entry);
        }

        if (position - entry.IndexOffset != entry.IndexLength)
        {
            throw new CorruptIndexException($"{index.Name}: field '{name}' graph is {position - entry.IndexOffset} bytes, expected {entry.IndexLength}.");
        }

        var level0 = new UnmanagedMemoryManager<int>((int*)(index.Pointer + entry.IndexOffset), (int)level0Ints).Memory;
        HnswGraph graph;
        try
        {
            graph = HnswGraph.FromStorage(entry.Count, m, entry.MaxLevel, entry.EntryPoint, level0, upperNodes, upperNeighbours);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptIndexException($"{index.Name}: field '{name}' graph is invalid: {e.Message}", e);
        }

        return new HnswVectorValues(name, entry.Options, _maxDoc, entry.Count, vectors, ordToDoc, quantizedVectors, entry.Quantizer, graph, _files);
    }

    private static void CheckRange(MappedIndexFile file, long offset, long length, string field)
    {
        if (offset < 0 || length < 0 || offset + length > file.Length - CodecUtil.FooterLength())
        {
            throw new CorruptIndexException($"{file.Name}: field '{field}' block [{offset}, {offset + length}) is outside the file ({file.Length} bytes).");
        }
    }

    private static int[] ReadInts(MappedIndexFile file, ref long position, long count, FieldEntry entry)
    {
        if (count > Array.MaxLength || position + count * sizeof(int) > file.Length - CodecUtil.FooterLength())
        {
            throw new CorruptIndexException($"{file.Name}: field '{entry.Info.Name}' upper graph levels run past the end of the file.");
        }

        var result = new ReadOnlySpan<int>(file.Pointer + position, (int)count).ToArray();
        position += count * sizeof(int);
        return result;
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

    public override BinaryDocValues GetBinary(FieldInfo field) =>
        _fields.TryGetValue(field.Number, out var values)
            ? values
            : throw new InvalidOperationException($"Field '{field.Name}' has no vectors in this segment.");

    public override IBits GetDocsWithField(FieldInfo field) =>
        _fields.TryGetValue(field.Number, out var values)
            ? new HnswVectorValues.DocsWithVector(values)
            : new Bits.MatchNoBits(0);

    public override NumericDocValues GetNumeric(FieldInfo field) => throw NotNumeric(field);

    public override SortedDocValues GetSorted(FieldInfo field) => throw NotNumeric(field);

    public override SortedSetDocValues GetSortedSet(FieldInfo field) => throw NotNumeric(field);

    private static InvalidOperationException NotNumeric(FieldInfo field) =>
        new($"Field '{field.Name}' is a vector field; it has no numeric or sorted doc values.");

    public override long RamBytesUsed() => _fields.Values.Sum(v => v.RamBytesUsed());

    public override void CheckIntegrity()
    {
        // The whole of each file is checksummed, so damage anywhere (also after open) is found.
        foreach (var name in _fileNames)
        {
            Verify(name, () =>
            {
                using var input = _directory.OpenInput(name, IOContext.READ_ONCE);
                return CodecUtil.ChecksumEntireFile(input);
            });
        }

        foreach (var values in _fields.Values)
        {
            using var lease = values.Acquire();
            var previous = -1;
            foreach (var doc in values.OrdToDoc)
            {
                if (doc <= previous || doc >= _maxDoc)
                {
                    throw new CorruptIndexException($"Field '{values.Field}' has an invalid document {doc} in its ordinal map (previous {previous}, {_maxDoc} documents).");
                }

                previous = doc;
            }

            try
            {
                values.Graph.CheckLevel0();
            }
            catch (InvalidDataException e)
            {
                throw new CorruptIndexException($"Field '{values.Field}' graph is invalid: {e.Message}", e);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _files?.Dispose();
        }
    }
}
