using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>The image pixel module of a data set, validated against the frame limits before any pixel is read.</summary>
internal sealed record DicomPixelLayout(int Width, int Height, int SamplesPerPixel, int BitsAllocated, int BitsStored, bool Signed,
    string Photometric, int PlanarConfiguration, int Frames)
{
    public static DicomPixelLayout From(DicomDataset dataset, string source, ImageDecodeOptions limits, int maxFrames = int.MaxValue)
    {
        var rows = dataset.GetInt32(DicomTags.Rows) ?? 0;
        var columns = dataset.GetInt32(DicomTags.Columns) ?? 0;
        if (rows <= 0 || columns <= 0)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"Rows {rows} and Columns {columns} do not describe an image");
        }

        if (rows > limits.MaxSide || columns > limits.MaxSide || (long)rows * columns > limits.MaxPixels)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.TooLarge,
                $"a frame of {columns}x{rows} pixels is over the limits of {limits.MaxSide} per side and {limits.MaxPixels} pixels");
        }

        var samples = dataset.GetInt32(DicomTags.SamplesPerPixel) ?? 1;
        var allocated = dataset.GetInt32(DicomTags.BitsAllocated) ?? 0;
        var stored = dataset.GetInt32(DicomTags.BitsStored) ?? allocated;
        var photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim().ToUpperInvariant() ?? (samples == 3 ? "RGB" : "MONOCHROME2");
        if (samples is not (1 or 3))
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, $"SamplesPerPixel {samples} is not supported (1 or 3)");
        }

        if (allocated is not (1 or 8 or 16))
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, $"BitsAllocated {allocated} is not supported (1, 8 or 16)");
        }

        if (allocated == 1 && samples != 1)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, "1-bit pixels with more than one sample per pixel are not supported");
        }

        if (stored < 1 || stored > allocated)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"BitsStored {stored} does not fit BitsAllocated {allocated}");
        }

        var supported = samples == 1 ? photometric is "MONOCHROME1" or "MONOCHROME2" or "PALETTE COLOR" : photometric is "RGB" or "YBR_FULL" or "YBR_FULL_422";
        if (!supported)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.UnsupportedFormat, $"PhotometricInterpretation {photometric} with {samples} sample(s) per pixel is not supported");
        }

        var frames = dataset.GetInt32(DicomTags.NumberOfFrames) is > 0 and var n ? n : 1;
        if (frames > maxFrames)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.TooLarge, $"NumberOfFrames {frames} is over the limit of {maxFrames}");
        }

        return new DicomPixelLayout(columns, rows, samples, allocated, stored, dataset.GetInt32(DicomTags.PixelRepresentation) == 1,
            photometric, dataset.GetInt32(DicomTags.PlanarConfiguration) ?? 0, frames);
    }

    public DicomFrame ToFrame(ushort[] samples, string photometric) => new(Width, Height, SamplesPerPixel, BitsStored, Signed, photometric, samples);
}
