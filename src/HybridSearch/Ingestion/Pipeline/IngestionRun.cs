using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Records;
using HybridSearch.Vectors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// One run of an <see cref="IngestionPipeline"/>: reader → parallel preparation (decode, resize, transcribe) →
/// batched embedding → indexing, connected by bounded channels. The preparation of each item is a task queued in
/// source order, so the embedding stage sees items in order however the workers finish.
/// </summary>
internal sealed class IngestionRun
{
    private readonly IngestionPipeline _pipeline;
    private readonly IngestionPipelineOptions _options;
    private readonly IRecordSource _source;
    private readonly IIndexedRecordSink _index;
    private readonly IProgress<IngestionProgress>? _progress;
    private readonly CancellationToken _callerToken;
    private readonly Channel<Task<PipelineItem>> _prepared;
    private readonly Channel<List<PipelineItem>> _ready;
    /// <summary>Distinct short texts whose chunks a run remembers (about 1.6 KB each for 384-d vectors).</summary>
    private const int TextCacheCapacity = 8192;

    /// <summary>Longest text remembered: titles and captions, not documents.</summary>
    private const int CachedTextMaxLength = 200;

    private readonly SemaphoreSlim _workers;
    private readonly Dictionary<string, IndexedChunk[]> _textCache = new(StringComparer.Ordinal);
    private readonly List<IngestionFailure> _failures = [];
    private readonly List<string> _warnings = [];
    private readonly object _faultGate = new();

    /// <summary>Progress is told from the indexing stage (per item) and from the embedding stage (per model run of a
    /// long text), one report at a time.</summary>
    private readonly object _progressGate = new();

    /// <summary>Windows in one embedder call above which the call's own progress is reported: a batch with a text this
    /// long (tens of kilobytes) takes seconds, and a 1 MiB record a minute.</summary>
    private const int ChunkReportThreshold = 32;
    private CancellationTokenSource _stop = null!;
    private Exception? _fault;
    private int _total = -1;
    private int _items;
    private int _done;
    private int _failed;
    private int _indexed;
    private int _uncommitted;

    public IngestionRun(IngestionPipeline pipeline, IRecordSource source, IIndexedRecordSink index, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        _pipeline = pipeline;
        _options = pipeline.Options;
        _source = source;
        _index = index;
        _progress = progress;
        _callerToken = cancellationToken;
        _workers = new SemaphoreSlim(_options.DegreeOfParallelism, _options.DegreeOfParallelism);

        // Two batches of records in flight: one being embedded, the next being prepared meanwhile.
        _prepared = Channel.CreateBounded<Task<PipelineItem>>(new BoundedChannelOptions(Math.Max(2 * _options.BatchSize, 2 * _options.DegreeOfParallelism))
        {
            SingleReader = true,
            SingleWriter = true,
        });
        _ready = Channel.CreateBounded<List<PipelineItem>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    }

    private CancellationToken Token => _stop.Token;

    public async Task<IngestionSummary> ExecuteAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_callerToken);
        _stop = stop;
        Task[] stages = [Stage(ReadAsync), Stage(EmbedAsync), Stage(IndexAsync)];
        try
        {
            await Task.WhenAll(stages).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Inspected below: a fault is kept in _fault, a cancellation shows in the stage states.
        }
        finally
        {
            DrainUnconsumed();
        }

        if (stages.All(stage => stage.IsCompletedSuccessfully))
        {
            _index.Commit();
            _index.Refresh();
            Report(new IngestionProgress(_done, _items, _failed, null));
            return new IngestionSummary(_items, _indexed, _failed, _failures.ToArray(), _warnings.ToArray(), stopwatch.Elapsed);
        }

        // Stopped early: make durable what was upserted, then say why.
        try
        {
            _index.Commit();
        }
        catch (Exception) when (_fault is not null)
        {
            // The original fault (often the index itself) is what the caller needs to see.
        }

        if (_fault is not null)
        {
            ExceptionDispatchInfo.Throw(_fault);
        }

        throw new IngestionCanceledException(new IngestionSummary(_items, _indexed, _failed, _failures.ToArray(), _warnings.ToArray(), stopwatch.Elapsed), _callerToken);
    }

    /// <summary>Runs a stage on the thread pool; its first real error stops the others.</summary>
    private Task Stage(Func<Task> body) => Task.Run(async () =>
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception) when (Token.IsCancellationRequested)
        {
            // A consequence of the stop (an OperationCanceledException, or ONNX Runtime's error for a terminated
            // run), not a fault of its own: the first fault, if any, is already recorded.
            throw;
        }
        catch (Exception exception)
        {
            lock (_faultGate)
            {
                _fault ??= exception;
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    });

    private async Task ReadAsync()
    {
        Exception? error = null;
        try
        {
            var count = 0;
            foreach (var item in _source.ReadItems(Token))
            {
                count++;
                Task<PipelineItem> prepared;
                if (item.Record is { } record)
                {
                    await _workers.WaitAsync(Token).ConfigureAwait(false);
                    prepared = Task.Run(() => PrepareReleasingAsync(record), Token);
                }
                else
                {
                    prepared = Task.FromResult(PipelineItem.ForSourceError(item.Error!));
                }

                await _prepared.Writer.WriteAsync(prepared, Token).ConfigureAwait(false);
            }

            Volatile.Write(ref _total, count);
        }
        catch (Exception exception)
        {
            error = exception;
            throw;
        }
        finally
        {
            _prepared.Writer.TryComplete(error);
        }
    }

    private async Task<PipelineItem> PrepareReleasingAsync(Record record)
    {
        try
        {
            return await PrepareAsync(record).ConfigureAwait(false);
        }
        finally
        {
            _workers.Release();
        }
    }

    /// <summary>Decodes and prepares the record's images and transcribes its audio, noting each unusable file.</summary>
    private async Task<PipelineItem> PrepareAsync(Record record)
    {
        var item = PipelineItem.ForRecord(record);
        try
        {
            foreach (var image in record.Images)
            {
                Token.ThrowIfCancellationRequested();
                try
                {
                    item.Images.Add(await PrepareImageAsync(image).ConfigureAwait(false));
                }
                catch (IngestionException problem)
                {
                    item.Problems.Add(problem);
                }
            }

            foreach (var audio in record.Audio)
            {
                await TranscribeAsync(audio, item).ConfigureAwait(false);
            }

            return item;
        }
        catch
        {
            item.Dispose();
            throw;
        }
    }

    private async Task<PreparedImage> PrepareImageAsync(RecordImage image)
    {
        DecodedImage decoded;
        if (Dicom.DicomPipelineDecoder.Handles(image.Path))
        {
            // A DICOM image: its frame, and its tags as metadata when the source gave none.
            (decoded, image) = _pipeline.DicomDecoder.Decode(image);
        }
        else
        {
            decoded = await _pipeline.ImageDecoder.DecodeAsync(image.Path, Token).ConfigureAwait(false);
        }

        var owned = new List<Image<Rgb24>> { decoded.Image };
        try
        {
            var original = decoded.Image;
            var forImage = _pipeline.ImagePreparation?.Invoke(original) ?? original;
            owned.Add(forImage);
            Image<Rgb24>? forClip = null;
            if (_pipeline.ClipImageEmbedder is not null)
            {
                forClip = _pipeline.ClipImagePreparation?.Invoke(original) ?? original;
                owned.Add(forClip);
            }

            if (forImage != original && forClip != original)
            {
                // Both embedders got their own prepared copy: the (possibly large) original can go now.
                original.Dispose();
                owned.Remove(original);
            }

            return new PreparedImage(image, forImage, forClip, owned);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            foreach (var buffer in owned.Distinct())
            {
                buffer.Dispose();
            }

            if (exception is IngestionException)
            {
                throw;
            }

            // A preparation (resize) that fails on a decodable image is still a problem with that file only.
            throw new MediaDecodeException(image.Path, MediaDecodeFailure.Corrupt, $"preparing the image for embedding failed: {exception.Message}", exception);
        }
    }

    /// <summary>Decodes the clip first (so a file that is not audio is reported even when a sidecar transcript
    /// exists or no recogniser is installed; transcribers reuse the decoded samples), then transcribes it.</summary>
    private async Task TranscribeAsync(RecordAudio audio, PipelineItem item)
    {
        var request = new TranscriptionRequest(audio, _pipeline.AudioDecoder);
        try
        {
            await request.GetDecodedAudioAsync(Token).ConfigureAwait(false);
        }
        catch (MediaDecodeException problem)
        {
            item.Problems.Add(problem);
            return;
        }

        TranscriptionResult result;
        try
        {
            result = await _pipeline.Transcriber.TranscribeAsync(request, Token).ConfigureAwait(false);
        }
        catch (IngestionException problem)
        {
            // A malformed sidecar: the clip is still indexed, without transcript.
            item.Problems.Add(problem);
            item.AudioWithoutTranscript.Add(audio.Path);
            return;
        }

        item.Warnings.AddRange(result.Warnings);
        if (result.HasTranscript && result.Segments.Count > 0)
        {
            item.Segments.AddRange(result.Segments.Select(segment => new IndexedSegment(audio.Path, segment.StartMs, Math.Max(segment.StartMs, segment.EndMs), segment.Text)));
        }
        else
        {
            item.AudioWithoutTranscript.Add(audio.Path);
        }
    }

    private async Task EmbedAsync()
    {
        Exception? error = null;
        var batch = new List<PipelineItem>();
        try
        {
            var images = 0;
            var reader = _prepared.Reader;
            while (await reader.WaitToReadAsync(Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var next))
                {
                    var item = await next.ConfigureAwait(false);
                    batch.Add(item);
                    images += item.Images.Count;

                    // Full image batches keep inference efficient; text-only sources are cut into record batches.
                    if (images >= _options.BatchSize || batch.Count >= 4 * _options.BatchSize)
                    {
                        await FlushAsync(batch).ConfigureAwait(false);
                        batch = [];
                        images = 0;
                    }
                }
            }

            if (batch.Count > 0)
            {
                await FlushAsync(batch).ConfigureAwait(false);
                batch = [];
            }
        }
        catch (Exception exception)
        {
            error = exception;
            throw;
        }
        finally
        {
            foreach (var item in batch)
            {
                item.Dispose();
            }

            _ready.Writer.TryComplete(error);
        }
    }

    private async Task FlushAsync(List<PipelineItem> batch)
    {
        try
        {
            Embed(batch);
        }
        finally
        {
            foreach (var item in batch)
            {
                item.Dispose();
            }
        }

        await _ready.Writer.WriteAsync(batch, Token).ConfigureAwait(false);
    }

    /// <summary>Embeds the batch's images (one embedder call per vector field) and texts, and builds the records.</summary>
    private void Embed(List<PipelineItem> batch)
    {
        var prepared = batch.SelectMany(item => item.Images).ToList();
        var imageVectors = prepared.Count == 0 ? [] : _pipeline.ImageEmbedder.Embed(prepared.Select(image => image.ForImageEmbedder).ToList(), Token);
        IReadOnlyList<float[]> clipVectors = [];
        if (_pipeline.ClipImageEmbedder is { } clip && prepared.Count > 0)
        {
            clipVectors = clip.Embed(prepared.Select(image => image.ForClipEmbedder!).ToList(), Token);
        }

        CheckCount(imageVectors, prepared.Count, _pipeline.ImageEmbedder);
        if (_pipeline.ClipImageEmbedder is not null)
        {
            CheckCount(clipVectors, prepared.Count, _pipeline.ClipImageEmbedder);
        }

        var records = batch.Where(item => item.Record is not null).ToList();
        var chunkSources = records.Select(item => SemanticTextOf(item.Record!)).ToList();
        var longest = records.Count == 0 ? null : records[Enumerable.Range(0, records.Count).MaxBy(i => chunkSources[i].Length)].Record!.Id;
        var chunks = EmbedTexts(chunkSources, longest);
        var captionVectors = EmbedCaptions(prepared.Select(image => image.Source.Caption));

        var imageIndex = 0;
        for (var r = 0; r < records.Count; r++)
        {
            var item = records[r];
            var indexedImages = new List<IndexedImage>(item.Images.Count);
            foreach (var image in item.Images)
            {
                var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal) { [IndexFieldNames.ImageVector] = imageVectors[imageIndex] };
                if (_pipeline.ClipImageEmbedder is not null)
                {
                    vectors[IndexFieldNames.ClipImageVector] = clipVectors[imageIndex];
                }

                if (image.Source.Caption is { } caption && captionVectors.TryGetValue(caption, out var captionVector))
                {
                    vectors[IndexFieldNames.TextVector] = captionVector;
                }

                imageIndex++;
                var metadata = image.Source.Metadata.Count == 0 ? null : image.Source.Metadata;
                indexedImages.Add(new IndexedImage(image.Source.Path, image.Source.Caption, vectors, metadata));
            }

            item.Indexed = IndexedRecord.From(item.Record!, indexedImages, item.Segments, chunks[r], item.AudioWithoutTranscript);
        }
    }

    /// <summary>
    /// One text vector per distinct caption, stored on the image's own document in the text-vector field: the semantic
    /// leg then finds an image by what its caption means (a record's chunks cover only its title and text), and the
    /// hit names the image.
    /// </summary>
    private Dictionary<string, float[]> EmbedCaptions(IEnumerable<string?> captions)
    {
        // The same path as record texts: blanks skipped, each distinct text embedded once, short ones cached for the run.
        var distinct = captions.Where(caption => !string.IsNullOrWhiteSpace(caption)).Select(caption => caption!).Distinct(StringComparer.Ordinal).ToList();
        var windows = EmbedTexts(distinct);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            // A caption longer than one window gets the re-normalised mean of its windows, as ITextEmbedder.Embed gives.
            if (windows[i].Count > 0)
            {
                result[distinct[i]] = windows[i].Count == 1
                    ? windows[i][0].Vector
                    : VectorNormalization.NormalizedMean(windows[i].Select(window => window.Vector).ToList(), windows[i][0].Vector.Length);
            }
        }

        return result;
    }

    /// <summary>
    /// The text a record's semantic vectors are made from: title + text, except that a record whose only text is a
    /// title taken from its media's file name (a bare image in a folder: "IMG_0001") gets none — a file name carries
    /// no meaning to embed, and embedding it would cost as much as the image itself. The lexical leg still finds the
    /// record by that name.
    /// </summary>
    private static string SemanticTextOf(Record record)
    {
        if (record.Text.Length == 0 && record.Title.Length > 0
            && record.Images.Select(i => i.Path).Concat(record.Audio.Select(a => a.Path))
                .Any(path => string.Equals(Path.GetFileNameWithoutExtension(path), record.Title, StringComparison.Ordinal)))
        {
            return string.Empty;
        }

        return IndexedRecord.From(record).ChunkSource;
    }

    /// <summary>
    /// Chunk-embeds each record's title + text. Identical texts get identical vectors, so each distinct text is
    /// embedded once per batch, and short texts (titles made from file names such as <c>IMG_0001</c> repeat across
    /// folders) are remembered for the rest of the run, up to <see cref="TextCacheCapacity"/> of them.
    /// </summary>
    /// <param name="sources">The texts.</param>
    /// <param name="reportedItem">The record named in progress reports while a long text is embedded; null for none.</param>
    private List<IndexedChunk>[] EmbedTexts(List<string> sources, string? reportedItem = null)
    {
        var result = sources.Select(_ => new List<IndexedChunk>()).ToArray();
        if (_pipeline.TextEmbedder is not { } embedder)
        {
            return result;
        }

        // Records without title and text get no chunk documents (an empty window would carry no meaning).
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!string.IsNullOrWhiteSpace(source) && !_textCache.ContainsKey(source) && seen.Add(source))
            {
                missing.Add(source);
            }
        }

        var embedded = new Dictionary<string, IndexedChunk[]>(StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            if (embedder is MiniLMTextEmbedder miniLM)
            {
                var windows = miniLM.EmbedChunks(missing, reportedItem is null || _progress is null ? null : new ChunkProgressRelay(this, reportedItem), Token);
                for (var i = 0; i < missing.Count; i++)
                {
                    embedded[missing[i]] = windows[i].Select(window => new IndexedChunk(window.Start, window.Start + window.Length, window.Vector)).ToArray();
                }
            }
            else
            {
                var vectors = embedder.Embed(missing, Token);
                CheckCount(vectors, missing.Count, embedder.Info.Name);
                for (var i = 0; i < missing.Count; i++)
                {
                    embedded[missing[i]] = [new IndexedChunk(0, missing[i].Length, vectors[i])];
                }
            }

            foreach (var (text, chunks) in embedded)
            {
                if (text.Length <= CachedTextMaxLength && _textCache.Count < TextCacheCapacity)
                {
                    _textCache[text] = chunks;
                }
            }
        }

        for (var i = 0; i < sources.Count; i++)
        {
            if (embedded.TryGetValue(sources[i], out var chunks) || _textCache.TryGetValue(sources[i], out chunks))
            {
                result[i].AddRange(chunks);
            }
        }

        return result;
    }

    private static void CheckCount(IReadOnlyList<float[]> vectors, int expected, IImageEmbedder embedder) => CheckCount(vectors, expected, embedder.Info.Name);

    private static void CheckCount(IReadOnlyList<float[]> vectors, int expected, string embedder)
    {
        if (vectors.Count != expected)
        {
            throw new InvalidOperationException($"Embedder '{embedder}' returned {vectors.Count} vectors for {expected} inputs.");
        }
    }

    private async Task IndexAsync()
    {
        var reader = _ready.Reader;
        while (await reader.WaitToReadAsync(Token).ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                foreach (var item in batch)
                {
                    // Items are finished whole: cancellation is noticed between records, never inside an upsert.
                    Token.ThrowIfCancellationRequested();
                    Index(item);
                }
            }
        }
    }

    private void Index(PipelineItem item)
    {
        _items++;
        string current;
        var problem = false;
        if (item.SourceError is { } error)
        {
            _failures.Add(new IngestionFailure(error.SourcePath, error.LineNumber, error.Reason, null, RecordIndexed: false));
            problem = true;
            current = error.SourcePath;
        }
        else
        {
            var record = item.Indexed!;
            current = record.Id;
            var indexed = true;
            try
            {
                _index.Upsert(record);
                _indexed++;
                _uncommitted++;
            }
            catch (Exception exception) when (exception is SchemaMismatchException or InvalidVectorException)
            {
                indexed = false;
                problem = true;
                _failures.Add(new IngestionFailure(record.Id, null, $"the index refused the record: {exception.Message}", record.Id, RecordIndexed: false));
            }

            foreach (var media in item.Problems)
            {
                _failures.Add(new IngestionFailure(media.SourcePath, media.LineNumber, media.Reason, record.Id, indexed));
                problem = true;
            }

            _warnings.AddRange(item.Warnings);
        }

        if (problem)
        {
            _failed++;
        }
        else
        {
            _done++;
        }

        if (_uncommitted >= _options.CommitEvery)
        {
            _index.Commit();
            _uncommitted = 0;
        }

        var total = Volatile.Read(ref _total);
        Report(new IngestionProgress(_done, total < 0 ? null : total, _failed, current));
    }

    private void Report(IngestionProgress progress)
    {
        if (_progress is not null)
        {
            lock (_progressGate)
            {
                _progress.Report(progress);
            }
        }
    }

    /// <summary>Turns the text embedder's per-model-run progress into pipeline progress (counts unchanged, the chunks
    /// of the batch being embedded added) for calls long enough to be worth it.</summary>
    private sealed class ChunkProgressRelay(IngestionRun run, string item) : IProgress<ChunkEmbeddingProgress>
    {
        public void Report(ChunkEmbeddingProgress value)
        {
            if (value.Total <= ChunkReportThreshold || run._progress is null)
            {
                return;
            }

            lock (run._progressGate)
            {
                // Read under the lock the indexing stage reports under, so the counts never go back.
                var total = Volatile.Read(ref run._total);
                run._progress.Report(new IngestionProgress(Volatile.Read(ref run._done), total < 0 ? null : total, Volatile.Read(ref run._failed), item) { Chunks = value });
            }
        }
    }

    /// <summary>After an early stop, releases the pixel buffers of items prepared but never embedded.</summary>
    private void DrainUnconsumed()
    {
        while (_prepared.Reader.TryRead(out var task))
        {
            if (task.IsCompletedSuccessfully)
            {
                task.Result.Dispose();
            }
        }
    }
}
