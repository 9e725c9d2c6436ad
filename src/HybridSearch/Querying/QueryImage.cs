using HybridSearch.Ingestion.Media;

namespace HybridSearch.Querying;

/// <summary>An image to search by: a file, or encoded bytes (e.g. an upload). Decoded with the same limits as ingested
/// images (<see cref="BoundedImageDecoder"/>) when the query runs.</summary>
public sealed class QueryImage
{
    private QueryImage(string name, string? path, ReadOnlyMemory<byte> bytes)
    {
        Name = name;
        Path = path;
        Bytes = bytes;
    }

    /// <summary>The file path, or the name given with the bytes; used in errors.</summary>
    public string Name { get; }

    /// <summary>The file to read, or null when the image was given as bytes.</summary>
    public string? Path { get; }

    /// <summary>The encoded image when given as bytes; empty for a file.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>An image file (read when the query runs).</summary>
    public static QueryImage FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new QueryImage(path, path, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>An encoded image held in memory (PNG, JPEG, GIF, BMP, TIFF, WebP).</summary>
    /// <param name="bytes">The encoded bytes; not copied, so do not change them while queries use them.</param>
    /// <param name="name">A name for errors.</param>
    public static QueryImage FromBytes(ReadOnlyMemory<byte> bytes, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new QueryImage(name, null, bytes);
    }

    /// <summary>Reads an encoded image from a stream now (the stream is read to its end, not disposed), refusing one
    /// longer than <paramref name="maxBytes"/> whatever length it claims (a pipe or device may never end).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="name">A name for errors.</param>
    /// <param name="maxBytes">Most bytes read; default <see cref="ImageDecodeOptions.MaxFileBytes"/> of the default options.</param>
    /// <exception cref="MediaDecodeException">The stream holds more than <paramref name="maxBytes"/> bytes.</exception>
    public static QueryImage FromStream(Stream stream, string name, long? maxBytes = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var limit = maxBytes ?? ImageDecodeOptions.Default.MaxFileBytes;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit, nameof(maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new MediaDecodeException(name, MediaDecodeFailure.TooLarge, $"more than {limit} bytes, over the limit");
            }
        }

        return new QueryImage(name, null, buffer.ToArray());
    }

    /// <summary>The image's vectors by vector field when it was embedded elsewhere (a sharded index's coordinator
    /// embeds query images once and sends the vectors to its shards); null for an image to decode and embed here.</summary>
    internal IReadOnlyDictionary<string, float[]>? Embeddings { get; private init; }

    /// <summary>An image already embedded, by vector field (the shards of a sharded index receive these).</summary>
    internal static QueryImage FromEmbeddings(string name, IReadOnlyDictionary<string, float[]> embeddings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(embeddings);
        return new QueryImage(name, null, ReadOnlyMemory<byte>.Empty) { Embeddings = embeddings };
    }

    internal async Task<DecodedImage> DecodeAsync(BoundedImageDecoder decoder, CancellationToken cancellationToken) =>
        Path is not null ? await decoder.DecodeAsync(Path, cancellationToken).ConfigureAwait(false) : decoder.Decode(Bytes, Name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
