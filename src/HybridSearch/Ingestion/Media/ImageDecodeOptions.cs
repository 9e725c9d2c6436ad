namespace HybridSearch.Ingestion.Media;

/// <summary>Limits against decompression bombs and oversized inputs for <see cref="BoundedImageDecoder"/>. Every
/// limit is checked from the file size and the image header before any pixel is decoded; each is checked when set, also in <c>with</c>.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>Default limits: 40 megapixels, 16384 px per side, 64 MiB per file.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>Largest accepted width × height. Default 40,000,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxPixels
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPixels), value, "MaxPixels must be 1 or more.");
    } = 40_000_000;

    /// <summary>Largest accepted width or height in pixels. Default 16384.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxSide
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSide), value, "MaxSide must be 1 or more.");
    } = 16384;

    /// <summary>Largest accepted file size in bytes. Default 64 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxFileBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), value, "MaxFileBytes must be 1 or more.");
    } = 64L << 20;

    /// <summary>When true (default), a JPEG without an end-of-image marker after its last scan, or a PNG without
    /// an IEND chunk, is rejected as truncated even if the decoder could fill the missing pixels with grey.</summary>
    public bool RejectTruncated { get; init; } = true;
}
