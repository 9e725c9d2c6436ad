namespace HybridSearch.Ingestion.Media;

/// <summary>The file extensions that folder ingestion treats as images, audio and text records.</summary>
public static class MediaFileTypes
{
    /// <summary>Image extensions (lower case, with dot).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff",
    };

    /// <summary>Audio extensions (lower case, with dot).</summary>
    public static IReadOnlySet<string> AudioExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".mp3", ".ogg", ".opus",
    };

    /// <summary>Text record extensions (lower case, with dot).</summary>
    public static IReadOnlySet<string> TextRecordExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".json",
    };

    /// <summary>Transcript sidecar extensions, in the order they are preferred.</summary>
    public static IReadOnlyList<string> TranscriptExtensions { get; } = [".srt", ".vtt", ".txt"];

    /// <summary>True when the path has an image extension.</summary>
    /// <param name="path">A file name or path.</param>
    public static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    /// <summary>True when the path has an audio extension.</summary>
    /// <param name="path">A file name or path.</param>
    public static bool IsAudio(string path) => AudioExtensions.Contains(Path.GetExtension(path));
}
