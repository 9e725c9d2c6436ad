namespace HybridSearch.Ingestion.Transcription;

/// <summary>A word (or filler such as <c>&lt;sil&gt;</c>) from a recogniser, with its time span in the clip.</summary>
/// <param name="Word">The recogniser's token, e.g. <c>search</c>, <c>read(2)</c>, <c>&lt;sil&gt;</c>, <c>[NOISE]</c>.</param>
/// <param name="StartMs">Start in milliseconds from the start of the clip.</param>
/// <param name="EndMs">End in milliseconds from the start of the clip.</param>
internal readonly record struct RecognizedWord(string Word, long StartMs, long EndMs);
