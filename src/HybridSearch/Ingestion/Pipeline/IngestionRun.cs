using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// One run of an <see cref="IngestionPipeline"/>: reader → parallel preparation (decode, resize, transcribe) →
/// batched embedding → indexing, connected by bounded channels. The preparation of each item is a task queued in
/// source order, so the embedding stage sees items in order however the workers finish.
/// </summary>
internal sealed class IngestionRun
{
    private readonly IngestionPipelineOptions _options;
    private readonly IRecordSource _source;
    private readonly IIndexedRecordSink _index;
    private readonly CancellationToken _callerToken;
    private readonly Channel<Task<PipelineItem>> _prepared;
    private readonly Channel<List<PipelineItem>> _ready;
    private readonly SemaphoreSlim _workers;
    private readonly IngestionLedger _ledger;
    private readonly ItemPreparation _preparation;
    private readonly RecordBatchEmbedder _embedder;
    private readonly object _faultGate = new();
    private CancellationTokenSource _stop = null!;
    private Exception? _fault;

    public IngestionRun(IngestionPipeline pipeline, IRecordSource source, IIndexedRecordSink index, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        _options = pipeline.Options;
        _source = source;
        _index = index;
        _callerToken = cancellationToken;
        _ledger = new IngestionLedger(progress);
        _preparation = new ItemPreparation(pipeline);
        _embedder = new RecordBatchEmbedder(pipeline, _ledger);
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
            _ledger.ReportFinished();
            return _ledger.Summary(stopwatch.Elapsed);
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

        throw new IngestionCanceledException(_ledger.Summary(stopwatch.Elapsed), _callerToken);
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

            _ledger.SetTotal(count);
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
            return await _preparation.PrepareAsync(record, Token).ConfigureAwait(false);
        }
        finally
        {
            _workers.Release();
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
            _embedder.Embed(batch, Token);
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
        string current;
        if (item.SourceError is { } error)
        {
            _ledger.SourceFailed(error);
            current = error.SourcePath;
        }
        else
        {
            var record = item.Indexed!;
            current = record.Id;
            try
            {
                _index.Upsert(record);
                _ledger.Indexed(item, record.Id);
            }
            catch (Exception exception) when (exception is SchemaMismatchException or InvalidVectorException)
            {
                _ledger.Refused(item, record.Id, exception);
            }
        }

        if (_ledger.Uncommitted >= _options.CommitEvery)
        {
            _index.Commit();
            _ledger.Committed();
        }

        _ledger.ReportItem(current);
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
