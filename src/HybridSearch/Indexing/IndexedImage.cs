using HybridSearch.Records;

namespace HybridSearch.Indexing;

/// <summary>An image of a record, ready to index: where it is, its caption, and its vectors per vector field.</summary>
/// <param name="Path">The image's path as given by the source (shown in results).</param>
/// <param name="Caption">Caption text for the lexical leg, or null.</param>
/// <param name="Vectors">Vector field name (e.g. <see cref="IndexFieldNames.ImageVector"/>) to the image's vector.</param>
/// <param name="Metadata">Image-level metadata fields (added to the image document next to the record's), or null.</param>
public sealed record IndexedImage(
    string Path,
    string? Caption,
    IReadOnlyDictionary<string, float[]> Vectors,
    IReadOnlyDictionary<string, FieldValue>? Metadata = null);
