using HybridSearch.Indexing;

namespace HybridSearch.Querying;

/// <summary>The media of a record that best matched the query: an image, or a timed segment of an audio clip.</summary>
/// <param name="Kind"><see cref="DocumentKind.Image"/> or <see cref="DocumentKind.Segment"/>.</param>
/// <param name="Path">The image or audio file as given at ingestion.</param>
/// <param name="StartMs">For a segment, its start in milliseconds; otherwise null.</param>
/// <param name="EndMs">For a segment, its end in milliseconds; otherwise null.</param>
/// <param name="Text">The image's caption or the segment's transcript, if any.</param>
/// <param name="Leg">The leg whose best match this is (the leg contributing most to the hit among those that matched media).</param>
public sealed record MatchedMedia(DocumentKind Kind, string Path, long? StartMs, long? EndMs, string? Text, SearchLeg Leg);
