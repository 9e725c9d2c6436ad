using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static HybridSearch.Tests.Codecs.VectorIndexFixture;

namespace HybridSearch.Tests.Codecs;

/// <summary>The reader keeps vectors and level 0 in the mapped files: little managed heap, the same results from
/// compound and separate files and from a directory that cannot be mapped, and no use of unmapped memory.</summary>
public sealed class OffHeapVectorsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)]
    public void OpenReaderHoldsLittleManagedHeap(VectorQuantization quantization)
    {
        const int n = 4000;
        const int dim = 256;
        var options = new VectorFieldOptions(dim, VectorSimilarity.Cosine) { M = 16, EfConstruction = 40, Quantization = quantization };
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options, compoundFiles: false))
        {
            AddAll(writer, RandomVectors(n, dim, seed: 61), options);
            writer.ForceMerge(1);
        }

        using var reader = DirectoryReader.Open(dir);
        var values = (HnswVectorValues)reader.Leaves.Single().AtomicReader.GetBinaryDocValues(Field);
        Assert.True(values.IsMemoryMapped);
        var raw = (long)n * dim * sizeof(float);
        Assert.True(values.RamBytesUsed() < raw / 20, $"{values.RamBytesUsed()} heap bytes for {raw} raw float bytes");
    }

    [Fact]
    public void CompoundSeparateAndUnmappableDirectoriesGiveTheSameResults()
    {
        var options = new VectorFieldOptions(16, VectorSimilarity.Euclidean) { M = 8, Quantization = VectorQuantization.Int8 };
        var vectors = RandomVectors(700, 16, seed: 62);
        var queries = RandomVectors(10, 16, seed: 63);
        var results = new List<int[][]>();
        foreach (var compound in new[] { true, false })
        {
            using var dir = FSDirectory.Open(_temp.Combine(compound ? "cfs" : "files"));
            using (var writer = OpenWriter(dir, options, maxBufferedDocs: 350, compoundFiles: compound))
            {
                AddAll(writer, vectors, options);
                writer.DeleteDocuments(new Term("id", "3"));
                writer.Commit();
            }

            Assert.Equal(compound, System.IO.Directory.GetFiles(dir.Directory.FullName, "*.cfs").Length > 0);
            using (var reader = DirectoryReader.Open(dir))
            {
                Assert.All(reader.Leaves, l => Assert.True(((HnswVectorValues)l.AtomicReader.GetBinaryDocValues(Field)).IsMemoryMapped));
                var searcher = new IndexSearcher(reader);
                results.Add(queries.Select(q => Search(searcher, q, 10, ef: 100)).ToArray());
            }

            // The same files through a RAMDirectory: not mappable, so they are copied, with the same answers.
            using var ram = new RAMDirectory(dir, IOContext.DEFAULT);
            using var ramReader = DirectoryReader.Open(ram);
            Assert.All(ramReader.Leaves, l => Assert.False(((HnswVectorValues)l.AtomicReader.GetBinaryDocValues(Field)).IsMemoryMapped));
            var ramSearcher = new IndexSearcher(ramReader);
            results.Add(queries.Select(q => Search(ramSearcher, q, 10, ef: 100)).ToArray());
        }

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.All(results[0], hits => Assert.DoesNotContain(3, hits));
    }

    [Fact]
    public void ALeaseKeepsTheFilesMappedAfterTheReaderClosesAndLateUseIsAnError()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine);
        using var dir = FSDirectory.Open(_temp.Path);
        using (var writer = OpenWriter(dir, options))
        {
            AddAll(writer, RandomVectors(50, 8, seed: 64), options);
        }

        var reader = DirectoryReader.Open(dir);
        var values = (HnswVectorValues)reader.Leaves[0].AtomicReader.GetBinaryDocValues(Field);
        var expected = values.GetVector(7).ToArray();
        var lease = values.Acquire();
        reader.Dispose();
        Assert.Equal(expected, values.GetVector(7).ToArray()); // still mapped: the lease holds it
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => values.GetVector(7).ToArray());
        Assert.Throws<ObjectDisposedException>(() => values.Acquire());
    }

    [Fact]
    public void CheckIntegrityFindsADamagedNeighbourListThatOpeningDoesNotRead()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine) { M = 4 };
        using (var dir = FSDirectory.Open(_temp.Path))
        using (var writer = OpenWriter(dir, options, compoundFiles: false))
        {
            AddAll(writer, RandomVectors(400, 8, seed: 65), options);
        }

        // Rewrite node 0's neighbour count on level 0 (the first int of the field's aligned block) to an impossible
        // value, and fix up nothing else: the footer checksum then fails too, and CheckIntegrity names the file.
        var file = System.IO.Directory.GetFiles(_temp.Path, "*.vex").Single();
        var bytes = File.ReadAllBytes(file);
        var start = (Lucene.Net.Codecs.CodecUtil.HeaderLength(HnswVectorsFormat.IndexCodec) + 63) / 64 * 64;
        BitConverter.TryWriteBytes(bytes.AsSpan(start, 4), 1000);
        File.WriteAllBytes(file, bytes);
        using var damaged = FSDirectory.Open(_temp.Path);
        using var reader = DirectoryReader.Open(damaged);
        var error = Assert.ThrowsAny<Exception>(() => reader.Leaves[0].AtomicReader.CheckIntegrity());
        Assert.True((error as CorruptIndexException ?? error.InnerException as CorruptIndexException) is not null, error.ToString());
    }

    [Fact]
    public void ASearchThatMeetsADamagedGraphFailsAsCorruptionNamingTheFile()
    {
        var options = new VectorFieldOptions(8, VectorSimilarity.Cosine) { M = 4 };
        using (var dir = FSDirectory.Open(_temp.Path))
        using (var writer = OpenWriter(dir, options, compoundFiles: false))
        {
            AddAll(writer, RandomVectors(400, 8, seed: 66), options);
        }

        // Every node's first level 0 neighbour becomes an ordinal the segment does not have.
        var file = System.IO.Directory.GetFiles(_temp.Path, "*.vex").Single();
        var bytes = File.ReadAllBytes(file);
        var start = (Lucene.Net.Codecs.CodecUtil.HeaderLength(HnswVectorsFormat.IndexCodec) + 63) / 64 * 64;
        var stride = (2 * options.M + 1) * sizeof(int);
        for (var node = 0; node < 400; node++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(start + node * stride + sizeof(int), 4), 1_000_000);
        }

        File.WriteAllBytes(file, bytes);
        using var damaged = FSDirectory.Open(_temp.Path);
        using var reader = DirectoryReader.Open(damaged);
        var error = Assert.Throws<CorruptIndexException>(() => new IndexSearcher(reader).Search(new KnnVectorQuery(Field, RandomVectors(1, 8, seed: 67)[0], 5), 5));
        Assert.Contains(Path.GetFileName(file), error.Message, StringComparison.Ordinal);
    }
}
