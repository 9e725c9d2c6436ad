using System.Buffers.Binary;

namespace HybridSearch.Benchmarks;

/// <summary>Reads and writes the ANN-benchmarks .fvecs/.ivecs layouts: per row an int32 dimension (or count), then the values, little-endian.</summary>
internal static class VectorFiles
{
    public static float[][] ReadFvecs(string path)
    {
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
        using var reader = new BinaryReader(stream);
        var rows = new List<float[]>();
        var length = stream.Length;
        while (stream.Position < length)
        {
            var dim = reader.ReadInt32();
            if (dim <= 0 || dim > 1 << 16)
            {
                throw new InvalidDataException($"{path}: row {rows.Count} has dimension {dim}.");
            }

            if (stream.Position + (long)dim * 4 > length)
            {
                throw new InvalidDataException($"{path}: row {rows.Count} is truncated.");
            }

            var row = new float[dim];
            for (var i = 0; i < dim; i++)
            {
                row[i] = reader.ReadSingle();
            }

            if (rows.Count > 0 && dim != rows[0].Length)
            {
                throw new InvalidDataException($"{path}: row {rows.Count} has dimension {dim}, the first row {rows[0].Length}.");
            }

            rows.Add(row);
        }

        return [.. rows];
    }

    public static int[][] ReadIvecs(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var rows = new List<int[]>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos));
            pos += 4;
            if (count < 0 || pos + count * 4 > bytes.Length)
            {
                throw new InvalidDataException($"{path}: row {rows.Count} is truncated or has count {count}.");
            }

            var row = new int[count];
            for (var i = 0; i < count; i++, pos += 4)
            {
                row[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos));
            }

            rows.Add(row);
        }

        return [.. rows];
    }

    public static void WriteIvecs(string path, IEnumerable<int[]> rows)
    {
        using var stream = new BufferedStream(File.Create(path), 1 << 20);
        using var writer = new BinaryWriter(stream);
        foreach (var row in rows)
        {
            writer.Write(row.Length);
            foreach (var value in row)
            {
                writer.Write(value);
            }
        }
    }
}
