namespace HybridSearch.Ingestion.Media;

/// <summary>An image or audio file that could not be decoded, with the path and the reason.</summary>
public sealed class MediaDecodeException : IngestionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The media file.</param>
    /// <param name="failure">The category of the failure.</param>
    /// <param name="reason">Details, naming the bad value or the limit.</param>
    /// <param name="innerException">The decoder library's exception, if any.</param>
    public MediaDecodeException(string path, MediaDecodeFailure failure, string reason, Exception? innerException = null)
        : base(path, null, $"{failure}: {reason}", innerException)
    {
        Failure = failure;
    }

    /// <summary>The category of the failure.</summary>
    public MediaDecodeFailure Failure { get; }
}
