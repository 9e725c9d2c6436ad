namespace HybridSearch.Records;

/// <summary>An image attached to a record: its file, an optional caption and optional typed metadata.</summary>
public sealed class RecordImage
{
    /// <summary>Creates an image reference.</summary>
    /// <param name="path">Full path of the image file; must not be empty.</param>
    /// <param name="caption">Optional caption text (indexed with the record's lexical fields).</param>
    /// <param name="metadata">Optional typed metadata of this image; copied.</param>
    public RecordImage(string path, string? caption = null, IReadOnlyDictionary<string, FieldValue>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        Caption = caption;
        Metadata = Record.CopyFields(metadata, nameof(metadata));
    }

    /// <summary>Full path of the image file.</summary>
    public string Path { get; }

    /// <summary>Caption text, or null.</summary>
    public string? Caption { get; }

    /// <summary>Typed metadata of the image, ordered by name (ordinal); empty when none.</summary>
    public IReadOnlyDictionary<string, FieldValue> Metadata { get; }
}
