namespace HybridSearch.Indexing;

/// <summary>A timed transcript segment of one of a record's audio clips, ready to index.</summary>
/// <param name="AudioPath">The clip's path as given by the source.</param>
/// <param name="StartMs">Segment start in milliseconds from the start of the clip.</param>
/// <param name="EndMs">Segment end in milliseconds (at least <paramref name="StartMs"/>).</param>
/// <param name="Text">What is said in the segment.</param>
public sealed record IndexedSegment(string AudioPath, long StartMs, long EndMs, string Text);
