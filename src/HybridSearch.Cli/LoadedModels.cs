using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Cli;

/// <summary>
/// The packaged models (MiniLM, ResNet18, and the pocketsphinx recogniser when installed) loaded at most once per process and shared by every command run in it: a
/// script or host that runs many commands in process (and the CLI's own tests) pays each load once instead of once per
/// command. One instance per options the commands use (ResNet18 per batch size, so every command embeds exactly as
/// before). Embedders are thread-safe and the recogniser serialises its calls, so concurrent commands may share them; commands never dispose them, the process
/// does at exit (<see cref="Dispose"/>). CLIP and Whisper are not kept: they come from files the user names, which may
/// change between commands.
/// </summary>
internal sealed class LoadedModels : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ResNet18ImageEmbedder> _images = [];
    private MiniLMTextEmbedder? _text;
    private PocketSphinxTranscriber? _speech;
    private bool _disposed;

    /// <summary>The models of this process.</summary>
    public static LoadedModels Shared { get; } = new();

    /// <summary>MiniLM with its default options, loaded on first use.</summary>
    /// <exception cref="ObjectDisposedException">The models were released.</exception>
    public MiniLMTextEmbedder Text()
    {
        // Loads happen under the lock: two commands asking at once must not load (and leak) two copies.
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _text ??= new MiniLMTextEmbedder();
        }
    }

    /// <summary>ResNet18 running batches of at most <paramref name="maxBatchSize"/> images, loaded on first use.</summary>
    /// <param name="maxBatchSize">Images per model run; null for the embedder's default.</param>
    /// <exception cref="ObjectDisposedException">The models were released.</exception>
    public ResNet18ImageEmbedder Images(int? maxBatchSize = null)
    {
        var options = maxBatchSize is { } size ? new ResNet18ImageEmbedderOptions { MaxBatchSize = size } : new ResNet18ImageEmbedderOptions();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_images.TryGetValue(options.MaxBatchSize, out var embedder))
            {
                embedder = new ResNet18ImageEmbedder(options);
                _images.Add(options.MaxBatchSize, embedder);
            }

            return embedder;
        }
    }

    /// <summary>The pocketsphinx recogniser with its default options (its decoder loads on the first clip).</summary>
    /// <exception cref="ObjectDisposedException">The models were released.</exception>
    public PocketSphinxTranscriber Speech()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _speech ??= new PocketSphinxTranscriber();
        }
    }

    /// <summary><paramref name="options"/> with the packaged models the pipeline would otherwise load for itself (the
    /// same ones, set up the same way: ResNet18 sized to the pipeline's batch with its own preparation, MiniLM when
    /// text is embedded, sidecar transcripts then pocketsphinx), taken from this cache. Embedders the options already name are kept.</summary>
    public IngestionPipelineOptions ForPipeline(IngestionPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ImageEmbedder is null)
        {
            options = options.WithImageEmbedder(Images(options.BatchSize), options.ImagePreparation ?? EmbedderImagePreparation.ResNet18());
        }

        if (options.EmbedText && options.TextEmbedder is null)
        {
            options = options.WithTextEmbedder(Text());
        }

        if (options.Transcriber is null)
        {
            // The pipeline's own default: sidecar transcripts are exact and free, speech recognition covers the rest.
            options = options with { Transcriber = new TranscriberChain([new SidecarTranscriber(), Speech()]) };
        }

        return options;
    }

    /// <summary>Releases every loaded model; later requests throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _text?.Dispose();
            _speech?.Dispose();
            foreach (var embedder in _images.Values)
            {
                embedder.Dispose();
            }

            _images.Clear();
        }
    }
}
