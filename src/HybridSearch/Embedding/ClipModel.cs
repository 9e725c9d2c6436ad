using HybridSearch.Vectors;
using Microsoft.ML.OnnxRuntime;

namespace HybridSearch.Embedding;

/// <summary>
/// A CLIP model exported to ONNX the Hugging Face way, loaded from a folder the user names (nothing is downloaded).
/// The folder holds either <c>vision_model.onnx</c> (input <c>pixel_values</c> [N,3,S,S] float, output
/// <c>image_embeds</c> [N,D]) and <c>text_model.onnx</c> (inputs <c>input_ids</c> [N,77] int64 and optionally
/// <c>attention_mask</c> [N,77] int64, output <c>text_embeds</c> [N,D]), or one <c>model.onnx</c> with all of them;
/// plus the tokenizer: <c>tokenizer.json</c>, or <c>vocab.json</c> and <c>merges.txt</c>. Images and texts land in
/// the same D-dimensional space, so <see cref="TextEmbedder"/> can query vectors made by <see cref="ImageEmbedder"/>;
/// both report <see cref="Info"/> (<c>clip:&lt;folder name&gt;</c>, D, cosine) and return L2-normalised vectors.
/// A single <c>model.onnx</c> works but each run also feeds a one-row dummy input to the other tower; prefer the split export.
/// </summary>
/// <example>
/// <code>
/// using var clip = new ClipModel("/models/clip-vit-b-32");
/// float[] query = clip.TextEmbedder.Embed(["a red bicycle"])[0];
/// IReadOnlyList&lt;float[]&gt; images = clip.ImageEmbedder.Embed(decodedImages);
/// </code>
/// </example>
public sealed class ClipModel : IDisposable
{
    /// <summary>File name of the vision tower in a split export.</summary>
    public const string VisionModelFile = "vision_model.onnx";

    /// <summary>File name of the text tower in a split export.</summary>
    public const string TextModelFile = "text_model.onnx";

    /// <summary>File name of a combined export.</summary>
    public const string CombinedModelFile = "model.onnx";

    internal const string PixelValues = "pixel_values";
    internal const string InputIds = "input_ids";
    internal const string AttentionMask = "attention_mask";
    internal const string ImageEmbeds = "image_embeds";
    internal const string TextEmbeds = "text_embeds";

    private readonly ClipSessions _sessions;
    private int _disposed;

    /// <summary>Loads and validates the model folder.</summary>
    /// <param name="folder">The folder with the ONNX file(s) and tokenizer files.</param>
    /// <param name="options">Settings; null uses the defaults.</param>
    /// <exception cref="ClipModelException">A file is missing or a model lacks an expected input or output; the
    /// message names the file and what was expected.</exception>
    public ClipModel(string folder, ClipModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new ClipModelOptions();
        Folder = Path.GetFullPath(folder);
        if (!Directory.Exists(Folder))
        {
            throw new ClipModelException($"CLIP model folder not found: {Folder}.");
        }

        Tokenizer = LoadTokenizer(Folder);
        _sessions = LoadSessions(Folder, options.IntraOpThreads);
        try
        {
            string visionPath = Path.Combine(Folder, _sessions.Combined ? CombinedModelFile : VisionModelFile);
            string textPath = Path.Combine(Folder, _sessions.Combined ? CombinedModelFile : TextModelFile);
            ValidateInputs(_sessions, visionPath, textPath);
            ImageSize = ReadImageSize(_sessions.Vision, visionPath);
            ContextLength = ReadContextLength(_sessions.Text, textPath);
            int imageDimension = ReadEmbeddingDimension(_sessions.Vision, ImageEmbeds, visionPath);
            int textDimension = ReadEmbeddingDimension(_sessions.Text, TextEmbeds, textPath);
            if (imageDimension != textDimension)
            {
                throw new ClipModelException($"{Folder}: '{ImageEmbeds}' has {imageDimension} components but '{TextEmbeds}' has {textDimension}; they must share one space.");
            }

            Info = new EmbedderInfo("clip:" + Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)), imageDimension, VectorSimilarity.Cosine);
        }
        catch
        {
            _sessions.ReleaseShare();
            throw;
        }

        ImageEmbedder = new ClipImageEmbedder(this, _sessions, options.MaxBatchSize);
        TextEmbedder = new ClipTextEmbedder(this, _sessions, options.MaxBatchSize);
    }

    /// <summary>The full path of the model folder.</summary>
    public string Folder { get; }

    /// <summary><c>clip:&lt;folder name&gt;</c>, the embedding dimension read from the model, cosine.</summary>
    public EmbedderInfo Info { get; }

    /// <summary>Side of the square image input (from <c>pixel_values</c>, 224 when the model leaves it open).</summary>
    public int ImageSize { get; }

    /// <summary>Token positions of the text input (from <c>input_ids</c>, 77 when the model leaves it open).</summary>
    public int ContextLength { get; }

    /// <summary>The tokenizer read from the folder.</summary>
    public ClipTokenizer Tokenizer { get; }

    /// <summary>Embeds images (<see cref="ClipImagePreprocessor"/>, then the vision tower). It holds its own share of the
    /// sessions: disposing it, the text embedder and this model in any order frees them once all three are disposed.</summary>
    public IImageEmbedder ImageEmbedder { get; }

    /// <summary>Embeds texts with the text tower. Text longer than the context is split into consecutive windows whose
    /// vectors are averaged and re-normalised. Holds its own share of the sessions, like <see cref="ImageEmbedder"/>.</summary>
    public ITextEmbedder TextEmbedder { get; }

    /// <summary>Releases this model's share of the sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _sessions.ReleaseShare();
        }
    }

    private static ClipTokenizer LoadTokenizer(string folder)
    {
        string tokenizerJson = Path.Combine(folder, "tokenizer.json");
        string vocabulary = Path.Combine(folder, "vocab.json");
        string merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocabulary) && File.Exists(merges))
        {
            return ClipTokenizer.FromVocabularyAndMerges(vocabulary, merges);
        }

        if (File.Exists(tokenizerJson))
        {
            return ClipTokenizer.FromTokenizerJson(tokenizerJson);
        }

        throw new ClipModelException($"{folder}: no CLIP tokenizer; expected vocab.json and merges.txt, or tokenizer.json.");
    }

    private static ClipSessions LoadSessions(string folder, int intraOpThreads)
    {
        string vision = Path.Combine(folder, VisionModelFile);
        string text = Path.Combine(folder, TextModelFile);
        string combined = Path.Combine(folder, CombinedModelFile);
        if (File.Exists(vision) || File.Exists(text))
        {
            if (!File.Exists(vision) || !File.Exists(text))
            {
                throw new ClipModelException($"{folder}: a split CLIP export needs both {VisionModelFile} and {TextModelFile}; missing {(File.Exists(vision) ? text : vision)}.");
            }

            InferenceSession visionSession = OpenSession(vision, intraOpThreads);
            try
            {
                return new ClipSessions(visionSession, OpenSession(text, intraOpThreads));
            }
            catch
            {
                visionSession.Dispose();
                throw;
            }
        }

        if (File.Exists(combined))
        {
            InferenceSession session = OpenSession(combined, intraOpThreads);
            return new ClipSessions(session, session);
        }

        throw new ClipModelException($"{folder}: no CLIP model; expected {VisionModelFile} and {TextModelFile}, or {CombinedModelFile}.");
    }

    private static InferenceSession OpenSession(string path, int intraOpThreads)
    {
        try
        {
            return OnnxSessionFactory.Create(path, intraOpThreads);
        }
        catch (OnnxRuntimeException error)
        {
            throw new ClipModelException($"{path}: ONNX Runtime cannot load the model: {error.Message}", error);
        }
    }

    private static void ValidateInputs(ClipSessions sessions, string visionPath, string textPath)
    {
        string[] visionAllowed = sessions.Combined ? [PixelValues, InputIds, AttentionMask] : [PixelValues];
        string[] textAllowed = sessions.Combined ? visionAllowed : [InputIds, AttentionMask];
        RequireInputs(sessions.Vision, visionPath, [PixelValues], visionAllowed);
        RequireInputs(sessions.Text, textPath, [InputIds], textAllowed);
        RequireElementType(sessions.Vision, PixelValues, typeof(float), visionPath);
        RequireElementType(sessions.Text, InputIds, typeof(long), textPath);
        if (sessions.Text.InputMetadata.ContainsKey(AttentionMask))
        {
            RequireElementType(sessions.Text, AttentionMask, typeof(long), textPath);
        }
    }

    private static void RequireInputs(InferenceSession session, string path, string[] required, string[] allowed)
    {
        string found = string.Join(", ", session.InputMetadata.Keys);
        foreach (string name in required)
        {
            if (!session.InputMetadata.ContainsKey(name))
            {
                throw new ClipModelException($"{path}: input '{name}' is missing; the model's inputs are [{found}].");
            }
        }

        foreach (string name in session.InputMetadata.Keys)
        {
            if (!allowed.Contains(name))
            {
                throw new ClipModelException($"{path}: unexpected input '{name}'; expected only [{string.Join(", ", allowed)}].");
            }
        }
    }

    private static void RequireElementType(InferenceSession session, string input, Type expected, string path)
    {
        Type actual = session.InputMetadata[input].ElementType;
        if (actual != expected)
        {
            throw new ClipModelException($"{path}: input '{input}' has element type {actual.Name}; expected {expected.Name}.");
        }
    }

    private static int ReadImageSize(InferenceSession session, string path)
    {
        int[] dimensions = session.InputMetadata[PixelValues].Dimensions;
        if (dimensions.Length != 4 || (dimensions[1] > 0 && dimensions[1] != 3) || (dimensions[2] > 0 && dimensions[3] > 0 && dimensions[2] != dimensions[3]))
        {
            throw new ClipModelException($"{path}: input '{PixelValues}' has shape [{string.Join(", ", dimensions)}]; expected [N, 3, S, S].");
        }

        return dimensions[2] > 0 ? dimensions[2] : ClipImagePreprocessor.DefaultSize;
    }

    private static int ReadContextLength(InferenceSession session, string path)
    {
        int[] dimensions = session.InputMetadata[InputIds].Dimensions;
        if (dimensions.Length != 2)
        {
            throw new ClipModelException($"{path}: input '{InputIds}' has shape [{string.Join(", ", dimensions)}]; expected [N, context].");
        }

        return dimensions[1] > 0 ? dimensions[1] : ClipTokenizer.DefaultContextLength;
    }

    private static int ReadEmbeddingDimension(InferenceSession session, string output, string path)
    {
        if (!session.OutputMetadata.TryGetValue(output, out NodeMetadata? metadata))
        {
            throw new ClipModelException($"{path}: output '{output}' is missing; the model's outputs are [{string.Join(", ", session.OutputMetadata.Keys)}].");
        }

        int[] dimensions = metadata.Dimensions;
        if (dimensions.Length != 2 || dimensions[1] <= 0)
        {
            throw new ClipModelException($"{path}: output '{output}' has shape [{string.Join(", ", dimensions)}]; expected [N, D] with a fixed D.");
        }

        return dimensions[1];
    }
}
