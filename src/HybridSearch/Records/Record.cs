using System.Collections.Immutable;

namespace HybridSearch.Records;

/// <summary>
/// One searchable item: an id, a title, a body text, typed metadata fields and its media children (images,
/// audio clips). Immutable: every collection is copied on construction.
/// </summary>
/// <example><code>
/// var record = new Record("case-17", "Chest CT", "Nodule in the left lobe.",
///     new Dictionary&lt;string, FieldValue&gt; { ["age"] = FieldValue.Number(74) },
///     [new RecordImage("/data/img/a.png", "axial slice")]);
/// </code></example>
public sealed class Record
{
    /// <summary>Creates a record and validates it.</summary>
    /// <param name="id">Unique, non-blank identifier without control characters.</param>
    /// <param name="title">Title; null becomes empty.</param>
    /// <param name="text">Body text; null becomes empty.</param>
    /// <param name="fields">Typed metadata; names must be non-blank. Copied.</param>
    /// <param name="images">Attached images. Copied.</param>
    /// <param name="audio">Attached audio clips. Copied.</param>
    /// <exception cref="ArgumentException">The id or a field name is blank or contains control characters.</exception>
    public Record(
        string id,
        string? title = null,
        string? text = null,
        IReadOnlyDictionary<string, FieldValue>? fields = null,
        IEnumerable<RecordImage>? images = null,
        IEnumerable<RecordAudio>? audio = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Any(char.IsControl))
        {
            throw new ArgumentException($"Record id '{id}' contains a control character.", nameof(id));
        }

        Id = id;
        Title = title ?? string.Empty;
        Text = text ?? string.Empty;
        Fields = CopyFields(fields, nameof(fields));
        Images = CopyItems(images, nameof(images));
        Audio = CopyItems(audio, nameof(audio));
    }

    /// <summary>Unique identifier (for folder ingestion: the relative path with forward slashes).</summary>
    public string Id { get; }

    /// <summary>Title, possibly empty.</summary>
    public string Title { get; }

    /// <summary>Body text, possibly empty.</summary>
    public string Text { get; }

    /// <summary>Typed metadata, ordered by name (ordinal).</summary>
    public IReadOnlyDictionary<string, FieldValue> Fields { get; }

    /// <summary>Attached images, in source order; each becomes a child document.</summary>
    public IReadOnlyList<RecordImage> Images { get; }

    /// <summary>Attached audio clips, in source order; each transcript segment becomes a child document.</summary>
    public IReadOnlyList<RecordAudio> Audio { get; }

    /// <summary>Returns the id.</summary>
    public override string ToString() => Id;

    internal static IReadOnlyDictionary<string, FieldValue> CopyFields(IReadOnlyDictionary<string, FieldValue>? fields, string parameterName)
    {
        if (fields is null || fields.Count == 0)
        {
            return ImmutableSortedDictionary<string, FieldValue>.Empty.WithComparers(StringComparer.Ordinal);
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, FieldValue>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
            {
                throw new ArgumentException($"Field name '{name}' is blank or contains a control character.", parameterName);
            }

            builder[name] = value ?? throw new ArgumentException($"Field '{name}' has a null value.", parameterName);
        }

        return builder.ToImmutable();
    }

    private static ImmutableArray<T> CopyItems<T>(IEnumerable<T>? items, string parameterName)
        where T : class
    {
        if (items is null)
        {
            return [];
        }

        var array = items.ToImmutableArray();
        if (array.Any(item => item is null))
        {
            throw new ArgumentException("A media item is null.", parameterName);
        }

        return array;
    }
}
