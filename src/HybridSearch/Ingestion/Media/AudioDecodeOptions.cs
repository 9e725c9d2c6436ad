namespace HybridSearch.Ingestion.Media;

/// <summary>Limits for <see cref="AudioClipDecoder"/>; every limit is checked when set, also in <c>with</c>.</summary>
public sealed record AudioDecodeOptions
{
    /// <summary>Default limits: 3 hours, 1 GiB.</summary>
    public static AudioDecodeOptions Default { get; } = new();

    /// <summary>Longest accepted clip; checked from the header when it declares a length and while decoding
    /// otherwise. Default 3 hours (≈ 690 MB of 16 kHz float samples).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan MaxDuration
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxDuration), value, "MaxDuration must be positive.");
    } = TimeSpan.FromHours(3);

    /// <summary>Largest accepted file in bytes. Default 1 GiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxFileBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), value, "MaxFileBytes must be 1 or more.");
    } = 1L << 30;
}
