using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>Limits of a <see cref="IDicomReader"/>; every untrusted length and size is checked against them (and
/// against the bytes actually present) before anything is allocated.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Defaults: the image limits of <see cref="ImageDecodeOptions.Default"/>, sequences 32 deep, 256 MiB inflated.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Frame size and file size limits, shared with the other image decoders.</summary>
    public ImageDecodeOptions Image { get; init; } = ImageDecodeOptions.Default;

    /// <summary>Deepest nesting of sequences accepted (real files rarely exceed 5). Default 32.</summary>
    public int MaxSequenceDepth { get; init; } = 32;

    /// <summary>Most frames a file may declare (NumberOfFrames), so that a lying header cannot make
    /// <c>--dicom-frames all</c> plan millions of images. Default 4096.</summary>
    public int MaxFrames { get; init; } = 4096;

    /// <summary>Largest data set a deflated file may inflate to, in bytes. Default 256 MiB.</summary>
    public long MaxInflatedBytes { get; init; } = 256L << 20;
}
