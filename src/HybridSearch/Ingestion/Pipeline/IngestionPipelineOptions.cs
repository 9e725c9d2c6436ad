using HybridSearch.Embedding;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Transcription;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// Immutable settings of an <see cref="IngestionPipeline"/>: which embedders and transcriber it uses, the decode
/// limits, how often it commits and how it batches and parallelises. Build with the <c>WithX</c> methods; each returns
/// a new instance. Embedders and transcribers given here belong to the caller (the pipeline never disposes them);
/// the defaults the pipeline creates itself belong to the pipeline.
/// </summary>
/// <example>
/// <code>
/// var options = IngestionPipelineOptions.Default
///     .WithCommitEvery(1000)
///     .WithoutTextEmbedding()
///     .WithTranscriber(new TranscriberChain([new SidecarTranscriber()]));
/// using var pipeline = new IngestionPipeline(options);
/// </code>
/// </example>
public sealed record IngestionPipelineOptions
{
    /// <summary>ResNet18 images, MiniLM text, sidecar-then-pocketsphinx transcripts, default decode limits, a commit
    /// every 500 records, batches of 32 images, one decode worker per processor.</summary>
    public static IngestionPipelineOptions Default { get; } = new();

    private IngestionPipelineOptions()
    {
    }

    /// <summary>The image embedder for <see cref="Indexing.IndexFieldNames.ImageVector"/>, or null for the default
    /// <see cref="ResNet18ImageEmbedder"/> (created and owned by the pipeline).</summary>
    public IImageEmbedder? ImageEmbedder { get; private init; }

    /// <summary>Optional preparation run on the decode workers (in parallel, off the inference thread) before an
    /// image goes to <see cref="ImageEmbedder"/>; it must not change the vector the embedder gives. Null means: for
    /// the default ResNet18 embedder, <see cref="EmbedderImagePreparation.ResNet18"/> (the embedder's own 224×224
    /// crop, done ahead); for an embedder given here, none.</summary>
    public Func<Image<Rgb24>, Image<Rgb24>>? ImagePreparation { get; private init; }

    /// <summary>Optional second image embedder (typically CLIP) for <see cref="Indexing.IndexFieldNames.ClipImageVector"/>; null for none.</summary>
    public IImageEmbedder? ClipImageEmbedder { get; private init; }

    /// <summary>Optional preparation for <see cref="ClipImageEmbedder"/>'s images, as <see cref="ImagePreparation"/>;
    /// for a CLIP embedder use <see cref="EmbedderImagePreparation.Clip"/>. Without one, the decoded original is kept
    /// until it is embedded (more memory in flight, and the resize runs on the inference thread).</summary>
    public Func<Image<Rgb24>, Image<Rgb24>>? ClipImagePreparation { get; private init; }

    /// <summary>False when records get no semantic text vectors (no chunk documents).</summary>
    public bool EmbedText { get; private init; } = true;

    /// <summary>The text embedder for <see cref="Indexing.IndexFieldNames.TextVector"/>, or null (with
    /// <see cref="EmbedText"/>) for the default <see cref="MiniLMTextEmbedder"/> (created and owned by the pipeline).
    /// A <see cref="MiniLMTextEmbedder"/> gives one chunk document per window of the record's title and text; any
    /// other embedder gives one chunk spanning them.</summary>
    public ITextEmbedder? TextEmbedder { get; private init; }

    /// <summary>The transcriber of audio clips, or null for a chain of <see cref="SidecarTranscriber"/> then
    /// <see cref="PocketSphinxTranscriber"/> (created and owned by the pipeline).</summary>
    public ITranscriber? Transcriber { get; private init; }

    /// <summary>Limits of the image decoder.</summary>
    public ImageDecodeOptions ImageDecoding { get; private init; } = ImageDecodeOptions.Default;

    /// <summary>DICOM images: which frame when an image names none, and whether tags added to manifest images
    /// include patient data (<see cref="DicomIngestionOptions.KeepPhi"/>).</summary>
    public DicomIngestionOptions Dicom { get; private init; } = DicomIngestionOptions.Default;

    /// <summary>Limits of the audio decoder.</summary>
    public AudioDecodeOptions AudioDecoding { get; private init; } = AudioDecodeOptions.Default;

    /// <summary>Records upserted between commits (default 500); a crash loses at most this many records' work.</summary>
    public int CommitEvery { get; private init; } = 500;

    /// <summary>Images per embedder call, gathered across records (default 32). Larger batches keep ONNX Runtime busier;
    /// the embedder may split a call into its own smaller batches.</summary>
    public int BatchSize { get; private init; } = 32;

    /// <summary>Records decoded at the same time (default <see cref="Environment.ProcessorCount"/>).</summary>
    public int DegreeOfParallelism { get; private init; } = Environment.ProcessorCount;

    /// <summary>Returns options with another image embedder (owned by the caller) and, optionally, its preparation.</summary>
    public IngestionPipelineOptions WithImageEmbedder(IImageEmbedder embedder, Func<Image<Rgb24>, Image<Rgb24>>? preparation = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return this with { ImageEmbedder = embedder, ImagePreparation = preparation };
    }

    /// <summary>Returns options with a second image embedder (CLIP; owned by the caller) writing
    /// <see cref="Indexing.IndexFieldNames.ClipImageVector"/>, and optionally its preparation.</summary>
    public IngestionPipelineOptions WithClipImageEmbedder(IImageEmbedder embedder, Func<Image<Rgb24>, Image<Rgb24>>? preparation = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return this with { ClipImageEmbedder = embedder, ClipImagePreparation = preparation };
    }

    /// <summary>Returns options with another text embedder (owned by the caller).</summary>
    public IngestionPipelineOptions WithTextEmbedder(ITextEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return this with { TextEmbedder = embedder, EmbedText = true };
    }

    /// <summary>Returns options that give records no semantic text vectors.</summary>
    public IngestionPipelineOptions WithoutTextEmbedding() => this with { TextEmbedder = null, EmbedText = false };

    /// <summary>Returns options with another transcriber (owned by the caller).</summary>
    public IngestionPipelineOptions WithTranscriber(ITranscriber transcriber)
    {
        ArgumentNullException.ThrowIfNull(transcriber);
        return this with { Transcriber = transcriber };
    }

    /// <summary>Returns options with other image decode limits.</summary>
    public IngestionPipelineOptions WithImageDecoding(ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return this with { ImageDecoding = options };
    }

    /// <summary>Returns options with other DICOM settings.</summary>
    public IngestionPipelineOptions WithDicom(DicomIngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return this with { Dicom = options };
    }

    /// <summary>Returns options with other audio decode limits.</summary>
    public IngestionPipelineOptions WithAudioDecoding(AudioDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return this with { AudioDecoding = options };
    }

    /// <summary>Returns options that commit after every <paramref name="records"/> upserted records (and at the end).</summary>
    public IngestionPipelineOptions WithCommitEvery(int records)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        return this with { CommitEvery = records };
    }

    /// <summary>Returns options with another number of images per embedder call.</summary>
    public IngestionPipelineOptions WithBatchSize(int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        return this with { BatchSize = images };
    }

    /// <summary>Returns options with another number of records decoded at once.</summary>
    public IngestionPipelineOptions WithDegreeOfParallelism(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        return this with { DegreeOfParallelism = workers };
    }
}
