using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>A DICOM file that cannot be read or rendered: malformed, truncated, over a limit, or of a transfer
/// syntax this reader does not decode. Names the file and the reason; the pipeline reports it for that file and
/// goes on.</summary>
public sealed class DicomFormatException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file (or the name given for in-memory data).</param>
    /// <param name="failure">The category, shared with the other media decoders.</param>
    /// <param name="reason">What is wrong, naming the tag, offset or value.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public DicomFormatException(string path, MediaDecodeFailure failure, string reason, Exception? innerException = null)
        : base($"{path}: DICOM {failure}: {reason}", innerException)
    {
        Path = path;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The file at fault.</summary>
    public string Path { get; }

    /// <summary>The category of the failure.</summary>
    public MediaDecodeFailure Failure { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
