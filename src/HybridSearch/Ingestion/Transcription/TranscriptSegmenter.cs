namespace HybridSearch.Ingestion.Transcription;

/// <summary>Groups recognised words into transcript segments: a long enough silence or a full segment starts a new
/// one; fillers (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;sil&gt;</c>, <c>[NOISE]</c>, <c>++GARBAGE++</c>) are
/// dropped and alternate-pronunciation marks (<c>read(2)</c>) removed.</summary>
internal static class TranscriptSegmenter
{
    public static List<TranscriptSegment> Group(IEnumerable<RecognizedWord> words, int pauseMs, int maxWords)
    {
        var segments = new List<TranscriptSegment>();
        var current = new List<RecognizedWord>();
        long lastEnd = -1;

        void Flush()
        {
            if (current.Count > 0)
            {
                segments.Add(new TranscriptSegment(current[0].StartMs, current[^1].EndMs, string.Join(' ', current.Select(word => word.Word))));
                current.Clear();
            }
        }

        foreach (var word in words)
        {
            if (IsFiller(word.Word))
            {
                if (word.EndMs - word.StartMs >= pauseMs)
                {
                    Flush();
                }

                continue;
            }

            // A gap between words (e.g. across utterances) counts as a pause too.
            if (lastEnd >= 0 && word.StartMs - lastEnd >= pauseMs)
            {
                Flush();
            }

            current.Add(word with { Word = StripAlternate(word.Word) });
            lastEnd = word.EndMs;
            if (current.Count >= maxWords)
            {
                Flush();
            }
        }

        Flush();
        return segments;
    }

    public static bool IsFiller(string word) =>
        word.Length == 0 || word[0] is '<' or '[' || word.StartsWith("++", StringComparison.Ordinal);

    private static string StripAlternate(string word)
    {
        var paren = word.IndexOf('(', StringComparison.Ordinal);
        return paren > 0 && word.EndsWith(')') ? word[..paren] : word;
    }
}
