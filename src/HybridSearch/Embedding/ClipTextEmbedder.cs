using HybridSearch.Vectors;
using Microsoft.ML.OnnxRuntime;

namespace HybridSearch.Embedding;

/// <summary>The text side of a <see cref="ClipModel"/>: tokenize, split long text into context-sized windows, run the
/// text tower in batches, average a text's windows, L2 normalise.</summary>
internal sealed class ClipTextEmbedder : ITextEmbedder
{
    private readonly ClipModel _model;
    private readonly ClipSessions _sessions;
    private readonly int _maxBatchSize;
    private int _disposed;

    public ClipTextEmbedder(ClipModel model, ClipSessions sessions, int maxBatchSize)
    {
        _model = model;
        _sessions = sessions;
        _maxBatchSize = maxBatchSize;
        sessions.AddShare();
    }

    public EmbedderInfo Info => _model.Info;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int context = _model.ContextLength;
        ClipTokenizer tokenizer = _model.Tokenizer;

        // Each window is <|startoftext|> + up to (context - 2) tokens + <|endoftext|>; an empty text is one empty window.
        var windows = new List<int[]>();
        var firstWindow = new int[texts.Count + 1];
        for (int t = 0; t < texts.Count; t++)
        {
            firstWindow[t] = windows.Count;
            string text = texts[t] ?? throw new ArgumentException($"Text {t} is null.", nameof(texts));
            IReadOnlyList<int> tokens = tokenizer.EncodeTokens(text);
            int capacity = context - 2;
            for (int first = 0; first < tokens.Count || first == 0; first += capacity)
            {
                int count = Math.Min(capacity, tokens.Count - first);
                var ids = new int[count + 2];
                ids[0] = tokenizer.StartOfTextId;
                for (int i = 0; i < count; i++)
                {
                    ids[i + 1] = tokens[first + i];
                }

                ids[^1] = tokenizer.EndOfTextId;
                windows.Add(ids);
            }
        }

        firstWindow[texts.Count] = windows.Count;

        var windowVectors = new float[windows.Count][];
        for (int start = 0; start < windows.Count; start += _maxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_maxBatchSize, windows.Count - start);
            float[][] batch = EmbedWindows(windows.GetRange(start, count), cancellationToken);
            batch.CopyTo(windowVectors, start);
        }

        var vectors = new float[texts.Count][];
        for (int t = 0; t < texts.Count; t++)
        {
            int count = firstWindow[t + 1] - firstWindow[t];
            vectors[t] = count == 1
                ? windowVectors[firstWindow[t]]
                : VectorNormalization.NormalizedMean(windowVectors.AsSpan(firstWindow[t], count).ToArray(), Info.Dimension);
        }

        return vectors;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _sessions.ReleaseShare();
        }
    }

    /// <summary>Adds a one-row text input (start and end tokens) for runs of a combined model that only want image
    /// embeddings; the returned object owns the added values.</summary>
    internal static IDisposable CreateDummyTextInputs(ClipModel model, Dictionary<string, OrtValue> inputs, bool includeMask)
    {
        var ids = new long[model.ContextLength];
        var mask = new long[model.ContextLength];
        ids[0] = model.Tokenizer.StartOfTextId;
        ids[1] = model.Tokenizer.EndOfTextId;
        mask[0] = mask[1] = 1;
        return AddTextInputs(inputs, ids, mask, 1, model.ContextLength, includeMask);
    }

    private float[][] EmbedWindows(List<int[]> windows, CancellationToken cancellationToken)
    {
        int rows = windows.Count;
        int context = _model.ContextLength;
        var ids = new long[rows * context];
        var mask = new long[rows * context];
        for (int r = 0; r < rows; r++)
        {
            // Padding is id 0 with mask 0, as clip.tokenize pads; the tower pools at the first <|endoftext|>.
            for (int i = 0; i < windows[r].Length; i++)
            {
                ids[r * context + i] = windows[r][i];
                mask[r * context + i] = 1;
            }
        }

        var inputs = new Dictionary<string, OrtValue>();
        using IDisposable textValues = AddTextInputs(inputs, ids, mask, rows, context, _sessions.Text.InputMetadata.ContainsKey(ClipModel.AttentionMask));
        using OrtValue? dummyPixels = _sessions.Combined
            ? OrtValue.CreateTensorValueFromMemory(new float[3 * _model.ImageSize * _model.ImageSize], [1, 3, _model.ImageSize, _model.ImageSize])
            : null;
        if (dummyPixels is not null)
        {
            inputs[ClipModel.PixelValues] = dummyPixels;
        }

        return ClipOutputs.RunAndNormalize(_sessions.Text, inputs, ClipModel.TextEmbeds, rows, Info.Dimension, cancellationToken);
    }

    private static IDisposable AddTextInputs(Dictionary<string, OrtValue> inputs, long[] ids, long[] mask, int rows, int context, bool includeMask)
    {
        var values = new OrtValueList();
        OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, [rows, context]);
        values.Add(idsValue);
        inputs[ClipModel.InputIds] = idsValue;
        if (includeMask)
        {
            OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, [rows, context]);
            values.Add(maskValue);
            inputs[ClipModel.AttentionMask] = maskValue;
        }

        return values;
    }

    private sealed class OrtValueList : List<OrtValue>, IDisposable
    {
        public void Dispose() => ForEach(value => value.Dispose());
    }
}
