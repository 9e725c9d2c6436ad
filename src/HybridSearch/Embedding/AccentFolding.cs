using System.Globalization;
using System.Text;

namespace HybridSearch.Embedding;

/// <summary>
/// BERT's uncased "strip accents" step — canonical decomposition (NFD), then drop nonspacing marks — done without
/// ICU. <see cref="string.Normalize()"/> silently returns its input unchanged when the process runs with
/// <c>InvariantGlobalization</c> (as this solution does), which would turn "café" into different word pieces than the
/// model was trained on. The decomposition table is generated from ICU (see the generated file); Hangul syllables are
/// decomposed algorithmically (Unicode §3.12); characters outside the BMP are kept as they are.
/// </summary>
internal static partial class AccentFolding
{
    private const int HangulBase = 0xAC00, HangulCount = 11172;
    private const int LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7, VowelCount = 21, TrailCount = 28;

    private static readonly Dictionary<char, string> Decompositions = ParseTable();

    /// <summary>Returns <paramref name="text"/> with accents removed as BERT's uncased tokenizer does; ASCII is returned as is.</summary>
    public static string Strip(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c >= HangulBase && c < HangulBase + HangulCount)
            {
                int index = c - HangulBase;
                builder.Append((char)(LeadBase + index / (VowelCount * TrailCount)));
                builder.Append((char)(VowelBase + index % (VowelCount * TrailCount) / TrailCount));
                if (index % TrailCount != 0)
                {
                    builder.Append((char)(TrailBase + index % TrailCount));
                }
            }
            else if (Decompositions.TryGetValue(c, out string? folded))
            {
                builder.Append(folded);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static Dictionary<char, string> ParseTable()
    {
        var table = new Dictionary<char, string>(1500);
        foreach (string entry in DecompositionTable.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            table[entry[0]] = entry[1..];
        }

        return table;
    }
}
