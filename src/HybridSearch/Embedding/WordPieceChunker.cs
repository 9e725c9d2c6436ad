using Microsoft.ML.Tokenizers;

namespace HybridSearch.Embedding;

/// <summary>
/// Splits a text into overlapping windows of word pieces that end on word boundaries, and remembers each window's
/// character span in the original text. Words are whitespace-delimited runs tokenized one at a time; BERT's basic
/// tokenizer splits on whitespace before anything else, so this gives the same pieces as tokenizing the whole text
/// while keeping exact offsets into the unnormalised original. Each word is accent-folded first
/// (<see cref="AccentFolding"/>) because the tokenizer's own NFD step does nothing under invariant globalization.
/// </summary>
internal sealed class WordPieceChunker
{
    private readonly BertTokenizer _tokenizer;
    private readonly int _capacity;
    private readonly int _overlap;

    /// <param name="tokenizer">The WordPiece tokenizer (thread-safe for encoding).</param>
    /// <param name="maxTokensPerChunk">Window length including [CLS] and [SEP].</param>
    /// <param name="overlapTokens">Pieces shared by consecutive windows.</param>
    public WordPieceChunker(BertTokenizer tokenizer, int maxTokensPerChunk, int overlapTokens)
    {
        _tokenizer = tokenizer;
        _capacity = maxTokensPerChunk - 2;
        _overlap = overlapTokens;
    }

    /// <summary>Windows of <paramref name="text"/>; never empty (an empty text gives one window with no pieces).</summary>
    public List<TextChunk> Split(string text)
    {
        var pieces = new List<int>();
        var pieceWord = new List<int>();
        var wordSpans = new List<(int Start, int End)>();
        int position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            int start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position > start)
            {
                IReadOnlyList<int> ids = _tokenizer.EncodeToIds(AccentFolding.Strip(text.Substring(start, position - start)), addSpecialTokens: false);
                if (ids.Count > 0)
                {
                    foreach (int id in ids)
                    {
                        pieces.Add(id);
                        pieceWord.Add(wordSpans.Count);
                    }

                    wordSpans.Add((start, position));
                }
            }
        }

        var chunks = new List<TextChunk>();
        if (pieces.Count == 0)
        {
            chunks.Add(new TextChunk(0, text.Length, []));
            return chunks;
        }

        int first = 0;
        while (true)
        {
            int end = Math.Min(first + _capacity, pieces.Count);
            if (end < pieces.Count && pieceWord[end] == pieceWord[end - 1])
            {
                // Back off to the start of the word that would be cut, unless that word alone overflows the window.
                int wordStart = end;
                while (wordStart > first && pieceWord[wordStart - 1] == pieceWord[end])
                {
                    wordStart--;
                }

                if (wordStart > first)
                {
                    end = wordStart;
                }
            }

            int spanStart = wordSpans[pieceWord[first]].Start;
            int spanEnd = wordSpans[pieceWord[end - 1]].End;
            chunks.Add(new TextChunk(spanStart, spanEnd - spanStart, pieces.GetRange(first, end - first).ToArray()));
            if (end == pieces.Count)
            {
                return chunks;
            }

            int next = Math.Max(end - _overlap, first + 1);
            while (next < end && pieceWord[next] == pieceWord[next - 1])
            {
                next++;
            }

            first = next;
        }
    }
}

/// <summary>A window of word pieces (without [CLS]/[SEP]) and its character span.</summary>
internal sealed record TextChunk(int Start, int Length, int[] PieceIds);
