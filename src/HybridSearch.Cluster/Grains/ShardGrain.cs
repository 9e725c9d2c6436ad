using HybridSearch.Cluster.Hosting;
using HybridSearch.Cluster.Placement;
using HybridSearch.Cluster.Wire;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Orleans.Concurrency;
using Orleans.Placement;

namespace HybridSearch.Cluster.Grains;

/// <summary>
/// Owns one shard directory while active: opens it as its only writer (the library's exclusive lock, which dies with
/// the process, so a killed silo's shard can be opened by the next activation elsewhere). Reentrant: searches run
/// concurrently on the index's near-real-time searcher; writes come from one ingesting client in order. Placed by
/// <see cref="ShardSpreadPlacement"/> (an index's shards spread over the live silos by shard number) and immovable:
/// an opt-in Orleans rebalancer must not gather what the placement spread. It moves only when asked
/// (<see cref="MoveToRuleSiloAsync"/>, an explicit migration, which <c>[Immovable]</c> does not block).
/// </summary>
[Reentrant]
[ShardSpreadPlacement]
[Immovable]
internal sealed class ShardGrain(ShardStorageOptions storage, IClusterManifestProvider manifests, ILocalSiloDetails silo) : Grain, IShardGrain
{
    /// <summary>How long an activation waits for the shard directory's writer lock before the call fails. The previous
    /// owner releases it when it closes the shard (deactivation, before a migration hands the shard over); it can
    /// still hold it when its close outlived Orleans' deactivation timeout (30 s, a large commit), in which case
    /// Orleans deactivates without migrating and this activation opens the shard once that close finishes.</summary>
    internal static readonly TimeSpan LockWait = TimeSpan.FromSeconds(20);

    private readonly SemaphoreSlim _opening = new(1, 1);
    private HybridIndex? _index;

    private async Task<HybridIndex> IndexAsync(WireIndexDescriptor descriptor)
    {
        if (Volatile.Read(ref _index) is { } open)
        {
            return open;
        }

        await _opening.WaitAsync();
        try
        {
            if (_index is not null)
            {
                return _index;
            }

            var shard = ShardKey.Parse(this.GetPrimaryKeyString()).Shard;
            var options = HybridIndexOptions.Default;
            foreach (var field in descriptor.VectorFields)
            {
                options = options.WithVectorField(field.Name, field.ToOptions());
            }

            var directory = storage.ShardDirectory(descriptor.Name, shard);
            Directory.CreateDirectory(directory);
            var opened = await OpenWaitingForLockAsync(directory, options, descriptor.Name, shard);
            Volatile.Write(ref _index, opened);
            return opened;
        }
        finally
        {
            _opening.Release();
        }
    }

    private static async Task<HybridIndex> OpenWaitingForLockAsync(string directory, HybridIndexOptions options, string name, int shard)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return HybridIndex.Open(directory, options);
            }
            catch (IndexLockedException) when (watch.Elapsed < LockWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
            catch (IndexLockedException exception)
            {
                throw new HybridSearchException($"shard {shard} of index '{name}': its directory is still locked by its previous owner after {LockWait.TotalSeconds:0} s ({exception.Message}); this call fails, the next one tries again.", exception);
            }
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Deactivation (idle collection, a silo stopping, or a migration, which runs this before the new activation
        // starts) begins only when no call is running. Dispose commits what was upserted and releases the writer lock
        // for the next activation.
        Interlocked.Exchange(ref _index, null)?.Dispose();
        return Task.CompletedTask;
    }

    public Task<WireShardPlacement> PlacementAsync() => Task.FromResult(Placement());

    public Task<WireShardPlacement> MoveToRuleSiloAsync(string ruleSilo)
    {
        var placement = Placement();
        if (!placement.OnRuleSilo && placement.RuleSilo == ruleSilo)
        {
            // Orleans migration: once no call runs here, this activation deactivates (OnDeactivateAsync: commit, lock
            // released), placement runs again (ShardSpreadPlacementDirector, the same rule and silo set as above) and
            // the new activation starts there; calls that arrive meanwhile wait and are forwarded to it.
            MigrateOnIdle();
        }

        return Task.FromResult(placement);
    }

    /// <summary>This activation's silo and the one the placement rule names over the silos placement would choose
    /// from, as this silo sees them.</summary>
    private WireShardPlacement Placement()
    {
        var (index, shard) = ShardKey.Parse(this.GetPrimaryKeyString());
        var silos = ShardSpreadPlacementDirector.CompatibleSilos(manifests.Current, this.GetGrainId().Type);
        var rule = silos.Count == 0 ? silo.SiloAddress : ShardSpreadPlacementDirector.SiloFor(index, shard, silos);
        return new WireShardPlacement(shard, silo.SiloAddress.ToString(), rule.ToString(), silos.Select(s => s.ToString()).Order(StringComparer.Ordinal).ToList());
    }

    public async Task<WireWriteResult> UpsertAsync(WireIndexDescriptor index, List<WireRecord> records)
    {
        var target = await IndexAsync(index);
        var errors = new List<WireRecordError>();
        var upserted = 0;
        foreach (var record in records)
        {
            try
            {
                target.Upsert(record.ToRecord());
                upserted++;
            }
            catch (Exception exception) when (exception is HybridSearchException or ArgumentException)
            {
                errors.Add(new WireRecordError(record.Id, $"the shard refused the record: {exception.Message}"));
            }
        }

        return new WireWriteResult(upserted, errors);
    }

    public async Task CommitAsync(WireIndexDescriptor index)
    {
        var target = await IndexAsync(index);
        target.Commit();
        target.Refresh();
    }

    public async Task<bool> DeleteAsync(WireIndexDescriptor index, string id)
    {
        var target = await IndexAsync(index);
        using (var lease = target.AcquireSearcher())
        {
            if (lease.Searcher.Search(new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term(IndexFieldNames.Id, id)), 1).TotalHits == 0)
            {
                return false;
            }
        }

        target.Delete(id);
        target.Commit();
        target.Refresh();
        return true;
    }

    public async Task<WireStatistics> CollectStatisticsAsync(WireIndexDescriptor index, WireQuery query)
    {
        var searcher = await SearcherAsync(index, query);
        return WireStatistics.From(searcher.CollectStatistics(query.ToQuery(), query.ToOptions()));
    }

    public async Task<List<WireShardLeg>> SearchLegsAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics)
    {
        var legs = await (await SearcherAsync(index, query)).SearchLegsAsync(query.ToQuery(), query.ToOptions(), statistics.ToStatistics());
        return legs.Select(WireShardLeg.From).ToList();
    }

    public async Task<List<WireHit>> DescribeAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics, List<WireFusedHit> hits)
    {
        var described = await (await SearcherAsync(index, query)).DescribeHitsAsync(query.ToQuery(), query.ToOptions(), statistics.ToStatistics(), hits.Select(h => h.ToHit()).ToList());
        return described.Select(WireHit.From).ToList();
    }

    public async Task<WireShardStats> StatsAsync(WireIndexDescriptor index)
    {
        var stats = (await IndexAsync(index)).GetStats();
        var shard = ShardKey.Parse(this.GetPrimaryKeyString()).Shard;
        return new WireShardStats(shard, RuntimeIdentity, stats.Records, stats.Records + stats.Images + stats.TranscriptSegments + stats.Chunks, stats.SizeOnDiskBytes,
            stats.MetadataFields.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    public async Task<List<string>> KnownRecordsAsync(WireIndexDescriptor index, List<string> ids)
    {
        using var lease = (await IndexAsync(index)).AcquireSearcher();
        return ids.Where(id => lease.Searcher.Search(new Lucene.Net.Search.BooleanQuery
        {
            { new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term(IndexFieldNames.Id, id)), Lucene.Net.Search.Occur.MUST },
            { new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term(IndexFieldNames.Kind, "record")), Lucene.Net.Search.Occur.MUST },
        }, 1).TotalHits > 0).ToList();
    }

    private async Task<HybridSearcher> SearcherAsync(WireIndexDescriptor index, WireQuery query)
    {
        var target = await IndexAsync(index);
        ITextEmbedder? text = null;
        if (query.TextVector is { } vector && query.TextEmbedder is { } name)
        {
            var field = index.VectorFields.FirstOrDefault(f => f.Name == IndexFieldNames.TextVector);
            text = new PrecomputedTextEmbedder(new EmbedderInfo(name, vector.Length, field?.Similarity ?? VectorSimilarity.Cosine), vector);
        }

        IImageEmbedder? images = null;
        if (query.ImageEmbedder is { } imageName && query.Images.Count > 0 && query.Images[0].Vectors.TryGetValue(IndexFieldNames.ImageVector, out var first))
        {
            var field = index.VectorFields.FirstOrDefault(f => f.Name == IndexFieldNames.ImageVector);
            images = new PrecomputedImageEmbedder(new EmbedderInfo(imageName, first.Length, field?.Similarity ?? VectorSimilarity.Cosine));
        }

        return new HybridSearcher(target, text, images);
    }
}
