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
/// an opt-in Orleans rebalancer must not gather what the placement spread.
/// </summary>
[Reentrant]
[ShardSpreadPlacement]
[Immovable]
internal sealed class ShardGrain(ShardStorageOptions storage) : Grain, IShardGrain
{
    private HybridIndex? _index;
    private readonly object _gate = new();

    private HybridIndex Index(WireIndexDescriptor descriptor)
    {
        lock (_gate)
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
            _index = HybridIndex.Open(directory, options);
            return _index;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Dispose commits what was upserted and releases the writer lock for the next activation.
            _index?.Dispose();
            _index = null;
        }

        return Task.CompletedTask;
    }

    public Task<WireWriteResult> UpsertAsync(WireIndexDescriptor index, List<WireRecord> records)
    {
        var target = Index(index);
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

        return Task.FromResult(new WireWriteResult(upserted, errors));
    }

    public Task CommitAsync(WireIndexDescriptor index)
    {
        var target = Index(index);
        target.Commit();
        target.Refresh();
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(WireIndexDescriptor index, string id)
    {
        var target = Index(index);
        using (var lease = target.AcquireSearcher())
        {
            if (lease.Searcher.Search(new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term(IndexFieldNames.Id, id)), 1).TotalHits == 0)
            {
                return Task.FromResult(false);
            }
        }

        target.Delete(id);
        target.Commit();
        target.Refresh();
        return Task.FromResult(true);
    }

    public Task<WireStatistics> CollectStatisticsAsync(WireIndexDescriptor index, WireQuery query)
    {
        var searcher = Searcher(index, query);
        return Task.FromResult(WireStatistics.From(searcher.CollectStatistics(query.ToQuery(), query.ToOptions())));
    }

    public async Task<List<WireShardLeg>> SearchLegsAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics)
    {
        var legs = await Searcher(index, query).SearchLegsAsync(query.ToQuery(), query.ToOptions(), statistics.ToStatistics());
        return legs.Select(WireShardLeg.From).ToList();
    }

    public async Task<List<WireHit>> DescribeAsync(WireIndexDescriptor index, WireQuery query, WireStatistics statistics, List<WireFusedHit> hits)
    {
        var described = await Searcher(index, query).DescribeHitsAsync(query.ToQuery(), query.ToOptions(), statistics.ToStatistics(), hits.Select(h => h.ToHit()).ToList());
        return described.Select(WireHit.From).ToList();
    }

    public Task<WireShardStats> StatsAsync(WireIndexDescriptor index)
    {
        var stats = Index(index).GetStats();
        var shard = ShardKey.Parse(this.GetPrimaryKeyString()).Shard;
        return Task.FromResult(new WireShardStats(shard, RuntimeIdentity, stats.Records, stats.Records + stats.Images + stats.TranscriptSegments + stats.Chunks, stats.SizeOnDiskBytes,
            stats.MetadataFields.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)));
    }

    public Task<List<string>> KnownRecordsAsync(WireIndexDescriptor index, List<string> ids)
    {
        using var lease = Index(index).AcquireSearcher();
        return Task.FromResult(ids.Where(id => lease.Searcher.Search(new Lucene.Net.Search.BooleanQuery
        {
            { new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term(IndexFieldNames.Id, id)), Lucene.Net.Search.Occur.MUST },
            { new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term(IndexFieldNames.Kind, "record")), Lucene.Net.Search.Occur.MUST },
        }, 1).TotalHits > 0).ToList());
    }

    private HybridSearcher Searcher(WireIndexDescriptor index, WireQuery query)
    {
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

        return new HybridSearcher(Index(index), text, images);
    }
}
