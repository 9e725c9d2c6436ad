using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace HybridSearch.Embedding;

/// <summary>
/// CLIP's byte-level BPE tokenizer (OpenAI's <c>SimpleTokenizer</c>, Hugging Face's <c>CLIPTokenizer</c>) on
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>: text is HTML-unescaped, whitespace-collapsed and lower-cased,
/// split with CLIP's pattern, each piece mapped byte-wise to printable characters, merged with <c>&lt;/w&gt;</c> marking
/// the end of a word, and wrapped in <c>&lt;|startoftext|&gt;</c> … <c>&lt;|endoftext|&gt;</c>. Not reproduced: ftfy's
/// mojibake repair, and letters outside the Basic Multilingual Plane count as symbols for the split pattern. Thread-safe.
/// </summary>
public sealed class ClipTokenizer
{
    /// <summary>Text positions of the CLIP text encoder, including the start and end tokens.</summary>
    public const int DefaultContextLength = 77;

    /// <summary>The start token.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>The end token (also CLIP's pooling position).</summary>
    public const string EndOfText = "<|endoftext|>";

    // CLIP's split pattern (clip/simple_tokenizer.py), matched case-insensitively as there.
    private static readonly Regex SplitPattern = new(
        @"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges, string source)
    {
        if (!vocabulary.TryGetValue(StartOfText, out int start) || !vocabulary.TryGetValue(EndOfText, out int end))
        {
            throw new ClipModelException($"{source}: the vocabulary lacks {StartOfText} or {EndOfText}.");
        }

        StartOfTextId = start;
        EndOfTextId = end;
        var special = new Dictionary<string, int> { [StartOfText] = start, [EndOfText] = end };
        try
        {
            _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
            {
                Merges = merges,
                ByteLevel = true,
                EndOfWordSuffix = "</w>",
                PreTokenizer = new RegexPreTokenizer(SplitPattern, special),
                SpecialTokens = special,
            });
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ClipModelException($"{source}: not a usable CLIP BPE vocabulary: {error.Message}", error);
        }
    }

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c>.</summary>
    public int StartOfTextId { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c>.</summary>
    public int EndOfTextId { get; }

    /// <summary>Loads a Hugging Face <c>vocab.json</c> (token → id) and <c>merges.txt</c> (one "a b" pair a line, an
    /// optional <c>#version</c> first line).</summary>
    /// <exception cref="ClipModelException">A file is missing or malformed.</exception>
    public static ClipTokenizer FromVocabularyAndMerges(string vocabularyJsonPath, string mergesPath)
    {
        ArgumentNullException.ThrowIfNull(vocabularyJsonPath);
        ArgumentNullException.ThrowIfNull(mergesPath);
        Dictionary<string, int> vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabularyJsonPath))
                ?? throw new ClipModelException($"{vocabularyJsonPath}: empty vocabulary.");
        }
        catch (Exception error) when (error is JsonException or IOException)
        {
            throw new ClipModelException($"{vocabularyJsonPath}: cannot read the vocabulary (a JSON object of token to id): {error.Message}", error);
        }

        List<string> merges;
        try
        {
            merges = ReadMergeLines(File.ReadLines(mergesPath), mergesPath);
        }
        catch (IOException error)
        {
            throw new ClipModelException($"{mergesPath}: cannot read the merges: {error.Message}", error);
        }

        return new ClipTokenizer(vocabulary, merges, $"{vocabularyJsonPath} + {mergesPath}");
    }

    /// <summary>Loads the BPE model of a Hugging Face <c>tokenizer.json</c> (<c>model.vocab</c> and <c>model.merges</c>,
    /// merges as "a b" strings or [a, b] pairs).</summary>
    /// <exception cref="ClipModelException">The file is missing or has no BPE model.</exception>
    public static ClipTokenizer FromTokenizerJson(string tokenizerJsonPath)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJsonPath);
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(tokenizerJsonPath));
            if (!document.RootElement.TryGetProperty("model", out JsonElement model)
                || !model.TryGetProperty("vocab", out JsonElement vocabElement)
                || !model.TryGetProperty("merges", out JsonElement mergesElement))
            {
                throw new ClipModelException($"{tokenizerJsonPath}: expected a BPE model with 'model.vocab' and 'model.merges'.");
            }

            var vocabulary = new Dictionary<string, int>();
            foreach (JsonProperty entry in vocabElement.EnumerateObject())
            {
                vocabulary[entry.Name] = entry.Value.GetInt32();
            }

            var merges = new List<string>();
            foreach (JsonElement merge in mergesElement.EnumerateArray())
            {
                merges.Add(merge.ValueKind == JsonValueKind.Array
                    ? $"{merge[0].GetString()} {merge[1].GetString()}"
                    : merge.GetString() ?? throw new ClipModelException($"{tokenizerJsonPath}: a null merge."));
            }

            return new ClipTokenizer(vocabulary, merges, tokenizerJsonPath);
        }
        catch (Exception error) when (error is JsonException or IOException or InvalidOperationException or FormatException)
        {
            throw new ClipModelException($"{tokenizerJsonPath}: cannot read the tokenizer: {error.Message}", error);
        }
    }

    /// <summary>Loads OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> and builds the vocabulary as CLIP's
    /// <c>SimpleTokenizer</c> does: the 256 byte characters, the same with <c>&lt;/w&gt;</c>, one token per merge (the
    /// first 48 894 merges), then the start and end tokens (ids 49406 and 49407).</summary>
    public static ClipTokenizer FromOpenAIBpe(string gzippedMergesPath)
    {
        ArgumentNullException.ThrowIfNull(gzippedMergesPath);
        string[] lines;
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(gzippedMergesPath), CompressionMode.Decompress)))
        {
            lines = reader.ReadToEnd().Split('\n');
        }

        // SimpleTokenizer: merges = lines[1 : 49152 - 256 - 2 + 1]
        const int mergeCount = 49152 - 256 - 2;
        if (lines.Length < mergeCount + 1)
        {
            throw new ClipModelException($"{gzippedMergesPath}: {lines.Length} lines, expected at least {mergeCount + 1}.");
        }

        List<string> merges = ReadMergeLines(lines.Skip(1).Take(mergeCount), gzippedMergesPath);
        var tokens = new List<string>(49408);
        string[] byteCharacters = ByteCharacters();
        tokens.AddRange(byteCharacters);
        tokens.AddRange(byteCharacters.Select(character => character + "</w>"));
        tokens.AddRange(merges.Select(merge => merge.Replace(" ", string.Empty, StringComparison.Ordinal)));
        tokens.Add(StartOfText);
        tokens.Add(EndOfText);
        var vocabulary = new Dictionary<string, int>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            vocabulary[tokens[i]] = i;
        }

        return new ClipTokenizer(vocabulary, merges, gzippedMergesPath);
    }

    /// <summary>CLIP's text cleaning: HTML entities decoded (twice, as CLIP does), runs of whitespace collapsed to one
    /// space, trimmed, lower-cased.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string unescaped = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        return Whitespace.Replace(unescaped, " ").Trim().ToLowerInvariant();
    }

    /// <summary>The BPE token ids of the cleaned text, without start/end tokens and without truncation.</summary>
    public IReadOnlyList<int> EncodeTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToIds(Clean(text));
    }

    /// <summary>Start token, the text's tokens (cut to fit), end token — at most <paramref name="contextLength"/> ids,
    /// not padded. Truncation keeps the end token, as <c>clip.tokenize(truncate=True)</c> does.</summary>
    public int[] EncodeToIds(string text, int contextLength = DefaultContextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        IReadOnlyList<int> tokens = EncodeTokens(text);
        int kept = Math.Min(tokens.Count, contextLength - 2);
        var ids = new int[kept + 2];
        ids[0] = StartOfTextId;
        for (int i = 0; i < kept; i++)
        {
            ids[i + 1] = tokens[i];
        }

        ids[^1] = EndOfTextId;
        return ids;
    }

    // GPT-2/CLIP bytes_to_unicode: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards, in this order.
    private static string[] ByteCharacters()
    {
        var printable = new List<int>();
        for (int b = '!'; b <= '~'; b++)
        {
            printable.Add(b);
        }

        for (int b = 0xA1; b <= 0xAC; b++)
        {
            printable.Add(b);
        }

        for (int b = 0xAE; b <= 0xFF; b++)
        {
            printable.Add(b);
        }

        var characters = printable.Select(b => ((char)b).ToString()).ToList();
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                characters.Add(((char)(256 + next++)).ToString());
            }
        }

        return characters.ToArray();
    }

    private static List<string> ReadMergeLines(IEnumerable<string> lines, string source)
    {
        var merges = new List<string>();
        int lineNumber = 0;
        foreach (string raw in lines)
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || (merges.Count == 0 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            string[] parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ClipModelException($"{source}, line {lineNumber}: expected a merge 'left right', found '{line}'.");
            }

            merges.Add(line);
        }

        return merges;
    }
}
