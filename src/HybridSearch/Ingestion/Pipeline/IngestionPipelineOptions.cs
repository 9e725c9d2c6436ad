using HybridSearch.Embedding;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Transcription;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// Immutable settings of an <see cref="IngestionPipeline"/>: which embedders and transcriber it uses, the decode
/// limits, how often it commits and how it batches and parallelises. Set them with an object initializer or a
/// <c>with</c> expression: every setting is checked when set (also in <c>with</c>). The <c>WithX</c> methods are
/// shorthands for settings that go together (an embedder and its image preparation; the text embedder and
/// <see cref="EmbedText"/>). Embedders and transcribers given here belong to the caller (the pipeline never disposes them);
/// the defaults the pipeline creates itself belong to the pipeline.
/// </summary>
/// <example>
/// <code>
/// var options = IngestionPipelineOptions.Default.WithoutTextEmbedding() with
/// {
///     CommitEvery = 1000,
///     Transcriber = new TranscriberChain([new SidecarTranscriber()]),
/// };
/// using var pipeline = new IngestionPipeline(options);
/// </code>
/// </example>
public sealed record IngestionPipelineOptions
{
    /// <summary>ResNet18 images, MiniLM text, sidecar-then-pocketsphinx transcripts, default decode limits, a commit
    /// every 500 records, batches of 32 images, one decode worker per processor.</summary>
    public static IngestionPipelineOptions Default { get; } = new();

    /// <summary>The image embedder for <see cref="Indexing.IndexFieldNames.ImageVector"/>, or null for the default
    /// <see cref="ResNet18ImageEmbedder"/> (created and owned by the pipeline).</summary>
    public IImageEmbedder? ImageEmbedder { get; init; }

    /// <summary>Optional preparation run on the decode workers (in parallel, off the inference thread) before an
    /// image goes to <see cref="ImageEmbedder"/>; it must not change the vector the embedder gives. Null means: for
    /// the default ResNet18 embedder, <see cref="EmbedderImagePreparation.ResNet18"/> (the embedder's own 224×224
    /// crop, done ahead); for an embedder given here, none.</summary>
    public Func<Image<Rgb24>, Image<Rgb24>>? ImagePreparation { get; init; }

    /// <summary>Optional second image embedder (typically CLIP) for <see cref="Indexing.IndexFieldNames.ClipImageVector"/>; null for none.</summary>
    public IImageEmbedder? ClipImageEmbedder { get; init; }

    /// <summary>Optional preparation for <see cref="ClipImageEmbedder"/>'s images, as <see cref="ImagePreparation"/>;
    /// for a CLIP embedder use <see cref="EmbedderImagePreparation.Clip"/>. Without one, the decoded original is kept
    /// until it is embedded (more memory in flight, and the resize runs on the inference thread).</summary>
    public Func<Image<Rgb24>, Image<Rgb24>>? ClipImagePreparation { get; init; }

    /// <summary>False when records get no semantic text vectors (no chunk documents).</summary>
    public bool EmbedText { get; init; } = true;

    /// <summary>The text embedder for <see cref="Indexing.IndexFieldNames.TextVector"/>, or null (with
    /// <see cref="EmbedText"/>) for the default <see cref="MiniLMTextEmbedder"/> (created and owned by the pipeline).
    /// A <see cref="MiniLMTextEmbedder"/> gives one chunk document per window of the record's title and text; any
    /// other embedder gives one chunk spanning them.</summary>
    public ITextEmbedder? TextEmbedder { get; init; }

    /// <summary>The transcriber of audio clips, or null for a chain of <see cref="SidecarTranscriber"/> then
    /// <see cref="PocketSphinxTranscriber"/> (created and owned by the pipeline).</summary>
    public ITranscriber? Transcriber { get; init; }

    /// <summary>Limits of the image decoder.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public ImageDecodeOptions ImageDecoding
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(ImageDecoding));
    } = ImageDecodeOptions.Default;

    /// <summary>DICOM images: which frame when an image names none, and whether tags added to manifest images
    /// include patient data (<see cref="DicomIngestionOptions.KeepPhi"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public DicomIngestionOptions Dicom
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Dicom));
    } = DicomIngestionOptions.Default;

    /// <summary>Limits of the audio decoder.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public AudioDecodeOptions AudioDecoding
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(AudioDecoding));
    } = AudioDecodeOptions.Default;

    /// <summary>Records upserted between commits (default 500); a crash loses at most this many records' work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int CommitEvery
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CommitEvery), value, "CommitEvery must be 1 or more.");
    } = 500;

    /// <summary>Images per embedder call, gathered across records (default 32). Larger batches keep ONNX Runtime busier;
    /// the embedder may split a call into its own smaller batches.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int BatchSize
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be 1 or more.");
    } = 32;

    /// <summary>Records decoded at the same time (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int DegreeOfParallelism
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), value, "DegreeOfParallelism must be 1 or more.");
    } = Environment.ProcessorCount;

    /// <summary>Shorthand for setting <see cref="ImageEmbedder"/> (owned by the caller) and its
    /// <see cref="ImagePreparation"/> together (none unless given).</summary>
    public IngestionPipelineOptions WithImageEmbedder(IImageEmbedder embedder, Func<Image<Rgb24>, Image<Rgb24>>? preparation = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return this with { ImageEmbedder = embedder, ImagePreparation = preparation };
    }

    /// <summary>Shorthand for setting <see cref="ClipImageEmbedder"/> (CLIP; owned by the caller) and its
    /// <see cref="ClipImagePreparation"/> together (none unless given).</summary>
    public IngestionPipelineOptions WithClipImageEmbedder(IImageEmbedder embedder, Func<Image<Rgb24>, Image<Rgb24>>? preparation = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return this with { ClipImageEmbedder = embedder, ClipImagePreparation = preparation };
    }

    /// <summary>Shorthand for setting <see cref="TextEmbedder"/> (owned by the caller) with <see cref="EmbedText"/> on.</summary>
    public IngestionPipelineOptions WithTextEmbedder(ITextEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return this with { TextEmbedder = embedder, EmbedText = true };
    }

    /// <summary>Shorthand for <see cref="EmbedText"/> off and no <see cref="TextEmbedder"/>: records get no semantic
    /// text vectors.</summary>
    public IngestionPipelineOptions WithoutTextEmbedding() => this with { TextEmbedder = null, EmbedText = false };

}
