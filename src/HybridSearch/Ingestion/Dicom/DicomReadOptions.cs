using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>Limits of a <see cref="IDicomReader"/>; every untrusted length and size is checked against them (and
/// against the bytes actually present) before anything is allocated. Every limit is checked when set, also in <c>with</c>.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Defaults: the image limits of <see cref="ImageDecodeOptions.Default"/>, sequences 32 deep, 256 MiB inflated.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Frame size and file size limits, shared with the other image decoders.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public ImageDecodeOptions Image
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Image));
    } = ImageDecodeOptions.Default;

    /// <summary>Deepest nesting of sequences accepted (real files rarely exceed 5). Default 32.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxSequenceDepth
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSequenceDepth), value, "MaxSequenceDepth must be 1 or more.");
    } = 32;

    /// <summary>Most frames a file may declare (NumberOfFrames), so that a lying header cannot make
    /// <c>--dicom-frames all</c> plan millions of images. Default 4096.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxFrames
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFrames), value, "MaxFrames must be 1 or more.");
    } = 4096;

    /// <summary>Largest data set a deflated file may inflate to, in bytes. Default 256 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxInflatedBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxInflatedBytes), value, "MaxInflatedBytes must be 1 or more.");
    } = 256L << 20;
}
