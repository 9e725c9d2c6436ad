using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Ingestion.Transcription;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// Reads records from an <see cref="IRecordSource"/>, decodes and embeds their media and text, and upserts them into a
/// <see cref="HybridIndex"/>, committing every <see cref="IngestionPipelineOptions.CommitEvery"/> records and at the end.
/// </summary>
/// <remarks>
/// <para>Stages, connected by bounded queues so memory stays bounded whatever the source's size:
/// (1) one reader enumerates the source; (2) up to <see cref="IngestionPipelineOptions.DegreeOfParallelism"/> workers
/// decode each record's images (bounded by <see cref="IngestionPipelineOptions.ImageDecoding"/>), prepare them for the
/// embedders (the resize runs here, in parallel), decode and transcribe its audio; (3) one embedding stage takes the
/// prepared records in source order and embeds their images in batches of
/// <see cref="IngestionPipelineOptions.BatchSize"/> gathered across records (batching is what makes ONNX inference
/// fast) and their title + text in chunks; (4) one indexing stage upserts each record (atomically, with all its
/// children) in source order and commits. Decoding overlaps inference, and indexing overlaps both. Upserts happen in
/// source order on one thread, so a run is deterministic.</para>
/// <para>Failures: a source error (bad manifest line, duplicate id, a path outside the manifest's folder, a directory,
/// FIFO or device) is reported and skipped. A media file that cannot be used (missing, empty, truncated, corrupt,
/// unsupported, a lying header, over the limits, not a regular file, an audio file that does not decode, a malformed
/// transcript sidecar; whatever exception a decoder library throws on it) is reported with its path and reason, and
/// the record is still indexed with the media that could be used — so its text stays searchable and a re-run after fixing the file replaces it whole. A
/// record the index refuses (e.g. a metadata field whose kind disagrees with the index) is reported and skipped.
/// Audio that decodes but has no transcript is indexed as a clip without transcript, with a warning.</para>
/// <para>Cancellation stops the stages, commits every record already upserted, and then throws
/// <see cref="IngestionCanceledException"/> (an <see cref="OperationCanceledException"/>) carrying the summary of what
/// was committed. Any other error (the source cannot be read, an embedder or the index
/// fails) also commits what was upserted before it is rethrown, so a crash loses at most the records after the last
/// commit.</para>
/// <para>A pipeline can run many times, one run at a time or concurrently on different indexes; it owns the default
/// embedders and transcriber it creates and releases them on <see cref="Dispose"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// using var pipeline = new IngestionPipeline(IngestionPipelineOptions.Default with { CommitEvery = 1000 });
/// using var index = HybridIndex.Open("my-index", pipeline.CreateIndexOptions());
/// var summary = await pipeline.RunAsync(new ManifestReader("records.jsonl"), index,
///     new Progress&lt;IngestionProgress&gt;(p =&gt; Console.Error.WriteLine($"{p.Done}/{p.Total} ({p.Failed} failed)")));
/// foreach (var failure in summary.Failures) Console.Error.WriteLine(failure);
/// </code>
/// </example>
public sealed class IngestionPipeline : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private int _disposed;

    /// <summary>Creates the pipeline, loading the default models that <paramref name="options"/> leaves unset.</summary>
    /// <param name="options">Settings; <see cref="IngestionPipelineOptions.Default"/> when null.</param>
    /// <exception cref="FileNotFoundException">A default model's files are missing.</exception>
    public IngestionPipeline(IngestionPipelineOptions? options = null)
    {
        Options = options ?? IngestionPipelineOptions.Default;
        ImageDecoder = new BoundedImageDecoder(Options.ImageDecoding);
        DicomDecoder = new Dicom.DicomPipelineDecoder(Options.ImageDecoding, Options.Dicom);
        AudioDecoder = new AudioClipDecoder(Options.AudioDecoding);
        try
        {
            if (Options.ImageEmbedder is { } imageEmbedder)
            {
                ImageEmbedder = imageEmbedder;
                ImagePreparation = Options.ImagePreparation;
            }
            else
            {
                // One ONNX run per pipeline batch: the embedder is sized to the batch the pipeline gathers.
                ImageEmbedder = Own(new ResNet18ImageEmbedder(new ResNet18ImageEmbedderOptions { MaxBatchSize = Options.BatchSize }));
                ImagePreparation = Options.ImagePreparation ?? EmbedderImagePreparation.ResNet18();
            }

            ClipImageEmbedder = Options.ClipImageEmbedder;
            ClipImagePreparation = Options.ClipImagePreparation;
            if (Options.EmbedText)
            {
                TextEmbedder = Options.TextEmbedder ?? Own(new MiniLMTextEmbedder());
            }

            if (Options.Transcriber is { } transcriber)
            {
                Transcriber = transcriber;
            }
            else
            {
                var sphinx = Own(new PocketSphinxTranscriber());
                Transcriber = new TranscriberChain([new SidecarTranscriber(), sphinx]);
            }
        }
        catch
        {
            DisposeOwned();
            throw;
        }
    }

    /// <summary>The settings.</summary>
    public IngestionPipelineOptions Options { get; }

    /// <summary>The embedder writing <see cref="IndexFieldNames.ImageVector"/>.</summary>
    public IImageEmbedder ImageEmbedder { get; }

    /// <summary>The embedder writing <see cref="IndexFieldNames.ClipImageVector"/>, or null.</summary>
    public IImageEmbedder? ClipImageEmbedder { get; }

    /// <summary>The embedder writing <see cref="IndexFieldNames.TextVector"/>, or null when text is not embedded.</summary>
    public ITextEmbedder? TextEmbedder { get; }

    /// <summary>The transcriber of audio clips.</summary>
    public ITranscriber Transcriber { get; }

    internal BoundedImageDecoder ImageDecoder { get; }

    internal AudioClipDecoder AudioDecoder { get; }

    internal Dicom.DicomPipelineDecoder DicomDecoder { get; }

    internal Func<Image<Rgb24>, Image<Rgb24>>? ImagePreparation { get; }

    internal Func<Image<Rgb24>, Image<Rgb24>>? ClipImagePreparation { get; }

    /// <summary>The vector fields this pipeline writes, with their settings (dimension, similarity, embedder name).</summary>
    public IReadOnlyDictionary<string, VectorFieldOptions> VectorFields
    {
        get
        {
            var fields = new Dictionary<string, VectorFieldOptions>(StringComparer.Ordinal)
            {
                [IndexFieldNames.ImageVector] = FieldFor(ImageEmbedder.Info),
            };
            if (ClipImageEmbedder is not null)
            {
                fields[IndexFieldNames.ClipImageVector] = FieldFor(ClipImageEmbedder.Info);
            }

            if (TextEmbedder is not null)
            {
                fields[IndexFieldNames.TextVector] = FieldFor(TextEmbedder.Info);
            }

            return fields;
        }
    }

    /// <summary>Index options declaring the vector fields this pipeline writes; open the index with them.</summary>
    /// <param name="baseOptions">Options to add the fields to; <see cref="HybridIndexOptions.Default"/> when null.</param>
    public HybridIndexOptions CreateIndexOptions(HybridIndexOptions? baseOptions = null)
    {
        var options = baseOptions ?? HybridIndexOptions.Default;
        foreach (var (name, field) in VectorFields)
        {
            options = options.WithVectorField(name, field);
        }

        return options;
    }

    /// <summary>Ingests every item of <paramref name="source"/> into <paramref name="index"/>.</summary>
    /// <param name="source">The records.</param>
    /// <param name="index">A writable index declaring this pipeline's vector fields (see <see cref="CreateIndexOptions"/>).</param>
    /// <param name="progress">Told after each item, in source order, from one thread at a time. Note that
    /// <see cref="Progress{T}"/> without a synchronization context posts to the thread pool, where reports can
    /// overtake each other; implement <see cref="IProgress{T}"/> directly to see them in order.</param>
    /// <param name="cancellationToken">Stops the run; what was upserted is committed, then
    /// <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>Counts, every failure with its path/line and reason, warnings and the elapsed time.</returns>
    /// <exception cref="SchemaMismatchException">The index does not declare a vector field this pipeline writes.</exception>
    /// <exception cref="EmbedderMismatchException">The index declares it with another dimension, similarity or embedder
    /// (<see cref="VectorFieldOptions.CheckEmbedder"/>).</exception>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    /// <exception cref="IngestionCanceledException">The run was cancelled (after committing what was upserted); its
    /// summary says what was.</exception>
    public Task<IngestionSummary> RunAsync(IRecordSource source, HybridIndex index, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(index);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!index.IsWritable)
        {
            throw new InvalidOperationException($"Index '{index.Path}' was opened read-only; ingestion needs a writable index.");
        }

        CheckSchema(index);
        return new IngestionRun(this, source, index, progress, cancellationToken).ExecuteAsync();
    }

    /// <summary>Ingests every item of <paramref name="source"/> into another sink than a local index (a sharded
    /// index on a cluster): the same stages, batches and per-item failures; the sink checks its own schema.</summary>
    /// <param name="source">The records.</param>
    /// <param name="sink">Where the embedded records go.</param>
    /// <param name="progress">As for the <see cref="HybridIndex"/> overload.</param>
    /// <param name="cancellationToken">Stops the run; what was upserted is committed.</param>
    public Task<IngestionSummary> RunAsync(IRecordSource source, IIndexedRecordSink sink, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        if (sink is HybridIndex index)
        {
            return RunAsync(source, index, progress, cancellationToken);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new IngestionRun(this, source, sink, progress, cancellationToken).ExecuteAsync();
    }

    /// <summary>Releases the embedders and transcriber the pipeline created (not those given in the options).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            DisposeOwned();
        }
    }

    private void CheckSchema(HybridIndex index)
    {
        foreach (var (name, wanted) in VectorFields)
        {
            if (!index.VectorFields.TryGetValue(name, out var declared))
            {
                throw new SchemaMismatchException(name, $"index '{index.Path}' does not declare the vector field the pipeline writes; open it with {nameof(IngestionPipeline)}.{nameof(CreateIndexOptions)}().");
            }

            declared.CheckEmbedder(name, wanted.Embedder, wanted.Dimension, wanted.Similarity, $"the pipeline writing to index '{index.Path}' embeds with");
        }
    }

    private static VectorFieldOptions FieldFor(EmbedderInfo info) => new(info.Dimension, info.Similarity) { Embedder = info.Name };

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private void DisposeOwned()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }
}
