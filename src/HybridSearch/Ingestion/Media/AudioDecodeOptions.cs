namespace HybridSearch.Ingestion.Media;

/// <summary>Limits for <see cref="AudioClipDecoder"/>.</summary>
public sealed record AudioDecodeOptions
{
    /// <summary>Default limits: 3 hours, 1 GiB.</summary>
    public static AudioDecodeOptions Default { get; } = new();

    /// <summary>Longest accepted clip; checked from the header when it declares a length and while decoding
    /// otherwise. Default 3 hours (≈ 690 MB of 16 kHz float samples).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(3);

    /// <summary>Largest accepted file in bytes. Default 1 GiB.</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;
}
