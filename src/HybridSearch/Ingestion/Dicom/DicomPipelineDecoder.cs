using HybridSearch.Ingestion.Media;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// The pipeline's decoder for record images that are DICOM files: decodes the frame the image names
/// (<see cref="DicomFieldNames.Frame"/>, else the middle one) and, for an image that arrives without DICOM fields
/// (a manifest naming a .dcm path), adds the file's tags to its metadata under the same PHI rule as folder
/// ingestion. Thread-safe.
/// </summary>
internal sealed class DicomPipelineDecoder
{
    private readonly DicomImageDecoder _decoder;
    private readonly DicomReader _reader;
    private readonly DicomIngestionOptions _options;
    private readonly long _maxFileBytes;

    public DicomPipelineDecoder(ImageDecodeOptions limits, DicomIngestionOptions options)
    {
        _reader = new DicomReader(new DicomReadOptions { Image = limits });
        _decoder = new DicomImageDecoder(_reader);
        _options = options;
        _maxFileBytes = limits.MaxFileBytes;
    }

    /// <summary>True for .dcm/.dicom paths and extension-less files with the DICM preamble.</summary>
    public static bool Handles(string path) => DicomFolderCatalog.IsDicomCandidate(path);

    /// <summary>Decodes the image's frame; returns the image reference to index (with the file's tags added when
    /// it had none).</summary>
    /// <exception cref="MediaDecodeException">The file cannot be read or decoded.</exception>
    public (DecodedImage Image, RecordImage Source) Decode(RecordImage image)
    {
        int? frameNumber = image.Metadata.TryGetValue(DicomFieldNames.Frame, out var frame) && frame.Kind == FieldKind.Number ? (int)frame.NumberValue : null;
        if (frameNumber is null && _options.Frames.FrameNumber is { } configured)
        {
            frameNumber = configured;
        }

        var decoded = _decoder.Decode(image.Path, _maxFileBytes, frameNumber);
        if (image.Metadata.ContainsKey(DicomFieldNames.SopInstanceUid) || image.Metadata.ContainsKey(DicomFieldNames.Frame))
        {
            return (decoded, image);
        }

        try
        {
            var header = _reader.ReadHeader(image.Path);
            var fields = DicomMetadata.Extract(header.Dataset, _options.KeepPhi);
            foreach (var (name, value) in image.Metadata)
            {
                fields[name] = value; // what the manifest says wins
            }

            return (decoded, new RecordImage(image.Path, image.Caption, fields));
        }
        catch (DicomFormatException exception)
        {
            decoded.Dispose();
            throw new MediaDecodeException(image.Path, exception.Failure, exception.Reason, exception);
        }
    }
}
