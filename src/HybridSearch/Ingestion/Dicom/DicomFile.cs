namespace HybridSearch.Ingestion.Dicom;

/// <summary>A parsed DICOM file: its file meta information (empty for files without one), its data set and the
/// transfer syntax the data set was read with. Values are slices of the bytes read, so keep the file only as long
/// as its pixels are needed.</summary>
public sealed class DicomFile
{
    internal DicomFile(string sourceName, bool hasPreamble, DicomDataset meta, DicomDataset dataset, DicomTransferSyntax transferSyntax, bool pixelDataRead)
    {
        SourceName = sourceName;
        HasPreamble = hasPreamble;
        Meta = meta;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        PixelDataRead = pixelDataRead;
    }

    /// <summary>The file path or the name given for in-memory data; used in every error.</summary>
    public string SourceName { get; }

    /// <summary>True for a Part 10 file (128-byte preamble and <c>DICM</c>).</summary>
    public bool HasPreamble { get; }

    /// <summary>The file meta information group (0002,xxxx); empty when the file has none.</summary>
    public DicomDataset Meta { get; }

    /// <summary>The data set.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of <see cref="Dataset"/> (from the meta header, or detected when absent).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>False when only the header was read (<see cref="IDicomReader.ReadHeader"/>): the data set stops
    /// before the pixel data.</summary>
    public bool PixelDataRead { get; }

    /// <summary>Number of frames (NumberOfFrames, 1 when absent or not positive).</summary>
    public int FrameCount => Dataset.GetInt32(DicomTags.NumberOfFrames) is > 0 and var frames ? frames : 1;
}
