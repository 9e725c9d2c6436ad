namespace HybridSearch.Records;

/// <summary>An audio clip attached to a record, with the path of its transcript sidecar when there is one.</summary>
public sealed class RecordAudio
{
    /// <summary>Creates an audio reference.</summary>
    /// <param name="path">Full path of the audio file; must not be empty.</param>
    /// <param name="transcriptPath">Optional full path of a transcript sidecar (.srt, .vtt or .txt).</param>
    public RecordAudio(string path, string? transcriptPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (transcriptPath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(transcriptPath);
        }

        Path = path;
        TranscriptPath = transcriptPath;
    }

    /// <summary>Full path of the audio file.</summary>
    public string Path { get; }

    /// <summary>Full path of the transcript sidecar, or null.</summary>
    public string? TranscriptPath { get; }
}
