namespace HybridSearch.Ingestion.Media;

/// <summary>Why <see cref="BoundedFileReader"/> refused or could not read a file; the caller, which knows what the
/// file is (an image, a sidecar, a record file), turns it into its own <see cref="IngestionException"/>.</summary>
internal sealed class BoundedFileException(MediaDecodeFailure failure, string reason, Exception? innerException = null)
    : Exception(reason, innerException)
{
    /// <summary>The category: <see cref="MediaDecodeFailure.NotFound"/>, <see cref="MediaDecodeFailure.NotAFile"/>
    /// or <see cref="MediaDecodeFailure.TooLarge"/>.</summary>
    public MediaDecodeFailure Failure { get; } = failure;
}
