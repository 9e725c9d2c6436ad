namespace HybridSearch.Ingestion.Dicom;

/// <summary>One decoded frame before any LUT: stored sample values (raw bits, not yet sign-extended), interleaved
/// by pixel, with the pixel description that applies to them after decompression.</summary>
public sealed class DicomFrame
{
    internal DicomFrame(int width, int height, int samplesPerPixel, int bitsStored, bool signed, string photometricInterpretation, ushort[] samples)
    {
        Width = width;
        Height = height;
        SamplesPerPixel = samplesPerPixel;
        BitsStored = bitsStored;
        IsSigned = signed;
        PhotometricInterpretation = photometricInterpretation;
        Samples = samples;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>1 (monochrome, palette) or 3 (colour).</summary>
    public int SamplesPerPixel { get; }

    /// <summary>Significant bits per sample.</summary>
    public int BitsStored { get; }

    /// <summary>True when samples are two's complement (PixelRepresentation 1).</summary>
    public bool IsSigned { get; }

    /// <summary>The photometric interpretation of <see cref="Samples"/> (lossy JPEG colour is <c>YBR_FULL</c> when
    /// the data set says YBR_*, else <c>RGB</c>, converted as libjpeg does; YBR_FULL_422 is expanded to full
    /// resolution <c>YBR_FULL</c>).</summary>
    public string PhotometricInterpretation { get; }

    /// <summary>Width × height × samples values, pixel-interleaved, row by row.</summary>
    public ushort[] Samples { get; }
}
