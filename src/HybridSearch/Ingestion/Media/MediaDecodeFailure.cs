namespace HybridSearch.Ingestion.Media;

/// <summary>Why an image or audio file could not be decoded.</summary>
public enum MediaDecodeFailure
{
    /// <summary>The file does not exist or cannot be opened.</summary>
    NotFound,

    /// <summary>The file has zero bytes.</summary>
    EmptyFile,

    /// <summary>The content is not a format this decoder reads (whatever the extension says).</summary>
    UnsupportedFormat,

    /// <summary>The file ends before the data it declares.</summary>
    Truncated,

    /// <summary>The data is damaged or inconsistent.</summary>
    Corrupt,

    /// <summary>A configured limit (bytes, pixels, side, duration) is exceeded; nothing was decoded.</summary>
    TooLarge,

    /// <summary>The path names a directory, FIFO, device or socket, not a regular file; it was not opened.</summary>
    NotAFile,
}
