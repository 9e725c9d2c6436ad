using System.Diagnostics;
using HybridSearch.Cluster.Grains;
using HybridSearch.Cluster.Wire;
using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Querying;

namespace HybridSearch.Cluster.Coordination;

/// <summary>
/// A logical index sharded over an Orleans cluster, seen from a client: records are routed to shards by
/// <see cref="ShardRouter"/>; a search is scattered to every shard in three phases (BM25 statistics, legs with the
/// summed statistics, details of the fused page) and fused once here. As an <see cref="IIndexedRecordSink"/> it takes
/// records already embedded (by the client's <see cref="Ingestion.Pipeline.IngestionPipeline"/>) and sends them in batches.
/// </summary>
/// <remarks>Not thread-safe for writing (one ingesting caller); searches may run concurrently.</remarks>
public sealed class ClusterIndex : IIndexedRecordSink
{
    /// <summary>Records sent to a shard in one message.</summary>
    public const int BatchSize = 64;

    private readonly IClusterClient _client;
    private WireIndexDescriptor _descriptor;
    private readonly List<WireRecord>[] _pending;
    private readonly List<(string RecordId, string Reason)> _failures = [];

    private ClusterIndex(IClusterClient client, WireIndexDescriptor descriptor)
    {
        _client = client;
        _descriptor = descriptor;
        _pending = Enumerable.Range(0, descriptor.Shards).Select(_ => new List<WireRecord>()).ToArray();
    }

    /// <summary>The index name.</summary>
    public string Name => _descriptor.Name;

    /// <summary>The number of shards (fixed at creation).</summary>
    public int Shards => _descriptor.Shards;

    /// <summary>The vector fields the index declares.</summary>
    public IReadOnlyDictionary<string, VectorFieldOptions> VectorFields =>
        _descriptor.VectorFields.ToDictionary(f => f.Name, f => f.ToOptions(), StringComparer.Ordinal);

    /// <summary>Records a shard refused (id and reason), collected as batches are sent.</summary>
    public IReadOnlyList<(string RecordId, string Reason)> Failures => _failures;

    /// <summary>How long a search waits for each shard in each phase before leaving it out (partial result).</summary>
    public TimeSpan ShardTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Opens <paramref name="name"/>, creating it with <paramref name="shards"/> shards and
    /// <paramref name="vectorFields"/> when the catalogue does not have it yet.</summary>
    public static async Task<ClusterIndex> OpenOrCreateAsync(IClusterClient client, string name, int shards, IReadOnlyDictionary<string, VectorFieldOptions> vectorFields)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(vectorFields);
        CheckName(name);
        var fields = vectorFields.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new WireVectorField(f.Key, f.Value.Dimension, f.Value.Similarity, f.Value.Embedder)).ToList();
        var descriptor = await CatalogueCallAsync(() => Catalogue(client).GetOrCreateAsync(name, shards, fields)).ConfigureAwait(false);
        return new ClusterIndex(client, descriptor);
    }

    /// <summary>Opens an existing index.</summary>
    /// <exception cref="HybridSearchException">The catalogue has no index of that name.</exception>
    public static async Task<ClusterIndex> OpenAsync(IClusterClient client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var descriptor = await CatalogueCallAsync(() => Catalogue(client).GetAsync(name)).ConfigureAwait(false)
            ?? throw new HybridSearchException($"index '{name}': the cluster has no index of that name (create it with `hybridsearch index --cluster URL --index {name} ...`).");
        return new ClusterIndex(client, descriptor);
    }

    /// <summary>The logical indexes in the cluster's catalogue: name and shard count.</summary>
    public static async Task<IReadOnlyList<(string Name, int Shards)>> ListAsync(IClusterClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var list = await CatalogueCallAsync(() => Catalogue(client).ListAsync()).ConfigureAwait(false);
        return list.Select(i => (i.Name, i.Shards)).ToList();
    }

    /// <inheritdoc />
    public void Upsert(IndexedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var shard = ShardRouter.ShardOf(record.Id, Shards);
        _pending[shard].Add(WireRecord.From(record));
        if (_pending[shard].Count >= BatchSize)
        {
            // Back-pressure: the caller waits while a full batch is delivered, so at most one batch per shard is held.
            SendAsync(shard).GetAwaiter().GetResult();
        }
    }

    /// <summary>Sends every pending batch and commits every shard; returns once each shard's commit is durable.</summary>
    public void Commit() => CommitAsync().GetAwaiter().GetResult();

    /// <summary>Shards refresh on commit; pending records become visible with <see cref="Commit"/>.</summary>
    public void Refresh()
    {
    }

    /// <summary>Sends every pending batch, then commits every shard (in parallel).</summary>
    public async Task CommitAsync()
    {
        await Task.WhenAll(Enumerable.Range(0, Shards).Select(SendAsync)).ConfigureAwait(false);
        await Task.WhenAll(Enumerable.Range(0, Shards).Select(s => Shard(s).CommitAsync(_descriptor))).ConfigureAwait(false);
    }

    /// <summary>Deletes a record (and its children) from its shard and commits.</summary>
    /// <returns>False when no record has that id.</returns>
    public Task<bool> DeleteAsync(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Shard(ShardRouter.ShardOf(id, Shards)).DeleteAsync(_descriptor, id);
    }

    /// <summary>Per shard: the silo that holds it, records, documents and bytes on disk; null for a shard that did not answer.</summary>
    public async Task<IReadOnlyList<(int Shard, string? Silo, long Records, long Documents, long SizeBytes)>> StatsAsync()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Shards).Select(s => WithTimeout(Shard(s).StatsAsync(_descriptor)))).ConfigureAwait(false);
        return answers.Select((a, s) => a is null ? (s, (string?)null, 0L, 0L, 0L) : (s, a.Silo, a.Records, a.Documents, a.SizeBytes)).ToList();
    }

    /// <summary>How long <see cref="RebalanceAsync"/> waits for the shards' silos to agree with the cluster's
    /// membership on which silos are live, and then for each moved shard to answer from its new silo.</summary>
    public TimeSpan RebalanceTimeout { get; set; } = DefaultRebalanceTimeout;

    /// <summary>The default of <see cref="RebalanceTimeout"/>: 60 seconds.</summary>
    public static TimeSpan DefaultRebalanceTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Moves every shard that does not run on the silo its placement rule names over the live silos
    /// (<see cref="Placement.ShardSpreadPlacement"/>: shard <c>s</c> on silo <c>(s + XxHash64(name)) mod n</c>) to
    /// that silo, and returns once each moved shard answers from there with its directory open. Needed after a silo
    /// returns or joins: Orleans never moves a running shard, so shards the survivors took over while a silo was away
    /// stay on them until this runs.
    /// </summary>
    /// <remarks>
    /// A move is an Orleans grain migration that re-runs the shards' placement: once no call runs on the shard, its
    /// activation closes the index (committing what was upserted and not yet committed, then releasing the writer
    /// lock), and only then does the rule's silo start the new activation, which opens the same directory (shared
    /// <c>--data</c>). Calls that arrive meanwhile wait and are forwarded to the new activation, so a search during a
    /// move is delayed, and left out as partial only if the move outlasts <see cref="ShardTimeout"/>. Nothing
    /// committed or acknowledged is lost. A shard whose move did not happen (its silo answered from elsewhere) is
    /// asked again until <see cref="RebalanceTimeout"/>; what still did not move is returned with the reason.
    /// Explicit, never automatic: moving a shard stalls its calls briefly, so the operator chooses when.
    /// </remarks>
    /// <returns>The shards that were off their rule's silo, in shard order, each moved or with the reason it was not;
    /// empty when the index was balanced.</returns>
    /// <exception cref="HybridSearchException">A shard did not answer within <see cref="ShardTimeout"/> (its silo is
    /// down or not yet taken over: rebalance once every shard answers), or the silos did not agree on which silos are
    /// live within <see cref="RebalanceTimeout"/> (one just joined or left).</exception>
    public async Task<IReadOnlyList<ShardMove>> RebalanceAsync(CancellationToken cancellationToken = default)
    {
        var plans = await AgreedPlacementsAsync(cancellationToken).ConfigureAwait(false);
        var moves = await Task.WhenAll(plans.Where(p => !p.OnRuleSilo).Select(p => MoveAsync(p, cancellationToken))).ConfigureAwait(false);
        return moves.OrderBy(m => m.Shard).ToList();
    }

    /// <summary>Every shard's placement once every shard's silo sees the live silos that membership lists: a silo
    /// that just joined reaches the others' manifests (and so their placement) some moments after membership shows
    /// it, and a rule computed over different silo sets would move shards back and forth.</summary>
    private async Task<List<WireShardPlacement>> AgreedPlacementsAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var hosts = await _client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
            var live = hosts.Keys.Select(s => s.ToString()).Order(StringComparer.Ordinal).ToList();
            var answers = await Task.WhenAll(Enumerable.Range(0, Shards).Select(s => WithTimeout(Shard(s).PlacementAsync()))).ConfigureAwait(false);
            var silent = Enumerable.Range(0, Shards).Where(s => answers[s] is null).ToList();
            if (silent.Count > 0)
            {
                throw new HybridSearchException($"cluster index '{Name}': shards {string.Join(", ", silent)} did not answer within {ShardTimeout.TotalSeconds:0.#} s, so nothing was moved; rebalance once every shard answers (`hybridsearch stats --cluster URL --index {Name}` shows them).");
            }

            var placements = answers.Select(a => a!).ToList();
            if (placements.FirstOrDefault(p => !p.LiveSilos.SequenceEqual(live)) is not { } disagreeing)
            {
                return placements;
            }

            if (watch.Elapsed > RebalanceTimeout)
            {
                throw new HybridSearchException($"cluster index '{Name}': nothing was moved — the silos did not agree on the live silos within {RebalanceTimeout.TotalSeconds:0.#} s (membership lists [{string.Join(", ", live)}]; silo {disagreeing.Silo} of shard {disagreeing.Shard} places over [{string.Join(", ", disagreeing.LiveSilos)}]); try again once silos have stopped joining or leaving.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the shard to move to its rule's silo and waits until it answers from there (asking again when it
    /// answers from elsewhere: a migration Orleans did not carry out leaves the shard re-activated on another silo).</summary>
    private async Task<ShardMove> MoveAsync(WireShardPlacement plan, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string? answeredFrom = null;
        var asked = false;
        while (watch.Elapsed < RebalanceTimeout)
        {
            if (!asked)
            {
                var seen = await WithTimeout(Shard(plan.Shard).MoveToRuleSiloAsync(plan.RuleSilo)).ConfigureAwait(false);
                if (seen is not null && seen.RuleSilo != plan.RuleSilo)
                {
                    return new ShardMove(plan.Shard, plan.Silo, plan.RuleSilo, $"the live silos changed during the rebalance (the rule now names {seen.RuleSilo}; the shard runs on {seen.Silo}); run rebalance again.", watch.Elapsed);
                }

                asked = seen is not null;
            }

            // A shard's statistics open its directory: an answer from the rule's silo means the move is complete.
            var stats = await WithTimeout(Shard(plan.Shard).StatsAsync(_descriptor)).ConfigureAwait(false);
            if (stats?.Silo == plan.RuleSilo)
            {
                return new ShardMove(plan.Shard, plan.Silo, plan.RuleSilo, null, watch.Elapsed);
            }

            if (stats is not null)
            {
                // A live activation elsewhere: the migration did not happen (or the shard was re-activated); ask again.
                answeredFrom = stats.Silo;
                asked = false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return new ShardMove(plan.Shard, plan.Silo, plan.RuleSilo, answeredFrom is null
            ? $"the shard did not answer within {RebalanceTimeout.TotalSeconds:0.#} s of being asked to move (its directory could not be opened, or the silo is unreachable); `stats --cluster` shows where it is."
            : $"the shard still answers from {answeredFrom} after {RebalanceTimeout.TotalSeconds:0.#} s (Orleans did not migrate it); run rebalance again.", watch.Elapsed);
    }

    /// <summary>Which of <paramref name="ids"/> are records of the index (each asked of its shard).</summary>
    /// <exception cref="HybridSearchException">A shard that holds some of the ids did not answer.</exception>
    public async Task<IReadOnlySet<string>> KnownRecordsAsync(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var byShard = ids.Distinct(StringComparer.Ordinal).GroupBy(id => ShardRouter.ShardOf(id, Shards)).ToList();
        var answers = await Task.WhenAll(byShard.Select(async g => (g.Key, Known: await WithTimeout(Shard(g.Key).KnownRecordsAsync(_descriptor, g.ToList())).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (shard, known) in answers)
        {
            if (known is null)
            {
                throw new HybridSearchException($"cluster index '{Name}': shard {shard} did not answer within {ShardTimeout.TotalSeconds:0.#} s; try again when it is back.");
            }
        }

        return answers.SelectMany(a => a.Known!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The metadata fields with their kinds, merged over the shards that answer (filters are checked
    /// against them).</summary>
    public async Task<IReadOnlyDictionary<string, Records.FieldKind>> MetadataFieldsAsync()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Shards).Select(s => WithTimeout(Shard(s).StatsAsync(_descriptor)))).ConfigureAwait(false);
        var fields = new Dictionary<string, Records.FieldKind>(StringComparer.Ordinal);
        foreach (var (name, kind) in answers.Where(a => a is not null).SelectMany(a => a!.MetadataFields))
        {
            fields.TryAdd(name, kind);
        }

        return fields;
    }

    /// <summary>
    /// Searches every shard and fuses once, without an image embedder (a query with images needs the overload that
    /// takes one).
    /// </summary>
    /// <exception cref="InvalidHybridQueryException">The query has images.</exception>
    /// <exception cref="HybridSearchException">Every shard failed with the same user error.</exception>
    public Task<ClusterSearchResults> SearchAsync(HybridQuery query, HybridSearchOptions? options = null, ITextEmbedder? textEmbedder = null, CancellationToken cancellationToken = default) =>
        SearchAsync(query, options, textEmbedder, null, cancellationToken);

    /// <summary>
    /// Searches every shard and fuses once. BM25 legs score with the statistics of the whole collection; kNN legs
    /// merge each shard's top window and take their background score from the shards' merged sketches; grouping by
    /// record is exact because a record lives on one shard. Query text and images are embedded once, here, and the
    /// shards receive the vectors.
    /// </summary>
    /// <param name="query">The query: text, images (decoded and embedded here), filter.</param>
    /// <param name="options">As for <see cref="HybridSearcher.SearchAsync"/>.</param>
    /// <param name="textEmbedder">Embeds the query text for the semantic leg; null leaves that leg out.</param>
    /// <param name="imageEmbedder">Embeds query images for the visual leg (the embedder of
    /// <see cref="IndexFieldNames.ImageVector"/>); required when the query has images, as for a single index.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="InvalidHybridQueryException">Query images without an image embedder.</exception>
    /// <exception cref="Ingestion.Media.MediaDecodeException">A query image cannot be read or decoded.</exception>
    /// <exception cref="HybridSearchException">Every shard failed with the same user error.</exception>
    public async Task<ClusterSearchResults> SearchAsync(HybridQuery query, HybridSearchOptions? options, ITextEmbedder? textEmbedder, IImageEmbedder? imageEmbedder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        options = WithIndexProfile(options ?? HybridSearchOptions.Default);
        var watch = Stopwatch.StartNew();
        var scattered = await ScatterLegsAsync(query, options, textEmbedder, imageEmbedder, cancellationToken).ConfigureAwait(false);
        var (wire, global, shardLegs, missing) = (scattered.Query, scattered.Statistics, scattered.ShardLegs, scattered.Missing);
        var ranked = HybridSearcher.RankShardLegs(query, options, shardLegs);
        var fused = ScoreFusion.Fuse(ranked, options.Fusion);
        var page = ScoreFusion.Page(fused, options.Offset, options.PageSize);

        // Phase 3 (fetch): the page's details from the shards that hold its records.
        var hits = page.Select(h => Bare(h)).ToList();
        if (options.HitDetails && page.Count > 0)
        {
            var byShard = page.GroupBy(h => ShardRouter.ShardOf(h.Key, Shards)).ToDictionary(g => g.Key, g => g.Select(WireFusedHit.From).ToList());
            var described = await Scatter(byShard.Keys.ToList(), s => Shard(s).DescribeAsync(_descriptor, wire, global, byShard[s]), missing).ConfigureAwait(false);
            var byId = described.Values.SelectMany(d => d).ToDictionary(d => d.RecordId, d => d.ToHit(), StringComparer.Ordinal);
            hits = hits.Select(h => byId.GetValueOrDefault(h.RecordId) ?? h).ToList();
        }

        var allLegs = shardLegs.SelectMany(l => l).GroupBy(l => l.Leg).OrderBy(g => g.Key).ToList();
        var results = new HybridSearchResults(
            hits,
            fused.Count,
            options.Offset,
            options.PageSize,
            allLegs.ToDictionary(g => g.Key, g => g.Max(l => l.Window)),
            options.Fusion,
            allLegs.Select(g => new LegTiming(g.Key, g.Key switch { SearchLeg.SemanticText => scattered.TextEmbedding, SearchLeg.Visual => scattered.ImageEmbedding, _ => TimeSpan.Zero }, g.Max(l => l.Search), Math.Min(g.Max(l => l.Window), g.Sum(l => l.Hits.Count)))).ToList(),
            watch.Elapsed)
        {
            LegSignals = options.Explain ? ScoreFusion.Signals(ranked, options.Fusion) : [],
        };
        return new ClusterSearchResults(results, missing.ToList());
    }

    /// <summary>
    /// Runs the query's legs on every shard and merges them, before fusion: the ranked lists
    /// <see cref="HybridSearcher.RankLegsAsync"/> returns for a single index (what <see cref="FusionTuner"/> fits a
    /// profile on), with the shards that did not answer.
    /// </summary>
    /// <exception cref="InvalidHybridQueryException">Query images without an image embedder.</exception>
    public async Task<(IReadOnlyList<RankedLeg> Legs, IReadOnlyList<int> MissingShards)> RankLegsAsync(HybridQuery query, HybridSearchOptions? options, ITextEmbedder? textEmbedder, IImageEmbedder? imageEmbedder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        options = WithIndexProfile(options ?? HybridSearchOptions.Default);
        var scattered = await ScatterLegsAsync(query, options, textEmbedder, imageEmbedder, cancellationToken).ConfigureAwait(false);
        return (HybridSearcher.RankShardLegs(query, options, scattered.ShardLegs), scattered.Missing.ToList());
    }

    /// <summary>The fitted fusion profile stored in the catalogue for this index (<c>hybridsearch tune --cluster</c>
    /// or <see cref="SetFusionProfileAsync"/>), as of opening; null when there is none. Searches fuse with it unless
    /// their options opt out (<see cref="HybridSearchOptions.UseIndexProfile"/>), as a single index's searcher does.</summary>
    /// <exception cref="HybridSearchException">The stored profile cannot be read.</exception>
    public FusionProfile? FusionProfile
    {
        get
        {
            if (_descriptor.FusionProfileJson is not { } json)
            {
                return null;
            }

            try
            {
                return _profile ??= FusionProfile.FromJson(json);
            }
            catch (FormatException e)
            {
                throw new HybridSearchException($"cluster index '{Name}': its stored fusion profile cannot be read ({e.Message}); search with the default fusion or run 'hybridsearch tune --cluster' again.", e);
            }
        }
    }

    private FusionProfile? _profile;

    /// <summary>Stores <paramref name="profile"/> in the cluster's catalogue as this index's fusion profile (null
    /// removes it); this instance and every index opened afterwards fuse with it.</summary>
    public async Task SetFusionProfileAsync(FusionProfile? profile)
    {
        _descriptor = await CatalogueCallAsync(() => Catalogue(_client).SetFusionProfileAsync(Name, profile?.ToJson())).ConfigureAwait(false);
        _profile = null;
    }

    private HybridSearchOptions WithIndexProfile(HybridSearchOptions options) =>
        options.UseIndexProfile && FusionProfile is { } profile ? options.WithFusionProfile(profile) : options;

    /// <summary>What phases 1 and 2 of a search return: the query as sent, the summed statistics, each answering
    /// shard's legs (in shard order), the shards that did not answer, and the embedding times.</summary>
    private sealed record ScatteredLegs(WireQuery Query, WireStatistics Statistics, List<IReadOnlyList<ShardLeg>> ShardLegs, SortedSet<int> Missing, TimeSpan TextEmbedding, TimeSpan ImageEmbedding);

    private async Task<ScatteredLegs> ScatterLegsAsync(HybridQuery query, HybridSearchOptions options, ITextEmbedder? textEmbedder, IImageEmbedder? imageEmbedder, CancellationToken cancellationToken)
    {
        if (query.Images.Count > 0 && imageEmbedder is null)
        {
            throw new InvalidHybridQueryException($"query images ({string.Join(", ", query.Images)})", "no image embedder was given to embed them; pass one to ClusterIndex.SearchAsync.");
        }

        var watch = Stopwatch.StartNew();
        float[]? vector = null;
        var semantic = query.SemanticText ?? query.Text;
        if (textEmbedder is not null && semantic is not null && options.Allows(SearchLeg.SemanticText)
            && _descriptor.VectorFields.Any(f => f.Name == IndexFieldNames.TextVector))
        {
            vector = textEmbedder.Embed([semantic], cancellationToken)[0];
        }

        var textEmbedding = watch.Elapsed;
        watch.Restart();
        var images = await EmbedImagesAsync(query, options, imageEmbedder, cancellationToken).ConfigureAwait(false);
        var imageEmbedding = watch.Elapsed;

        var wire = WireQuery.From(query, options, vector, textEmbedder?.Info.Name, images, imageEmbedder?.Info.Name);
        var missing = new SortedSet<int>();
        var live = Enumerable.Range(0, Shards).ToList();

        // Phase 1 (dfs): every shard's statistics for the query's terms, summed.
        var stats = await Scatter(live, s => Shard(s).CollectStatisticsAsync(_descriptor, wire), missing).ConfigureAwait(false);
        var global = WireStatistics.From(CorpusStatistics.Sum(stats.Values.Select(s => s.ToStatistics())));

        // Phase 2 (query): every shard's legs, scored with the global statistics, unfused.
        var legs = await Scatter(stats.Keys.ToList(), s => Shard(s).SearchLegsAsync(_descriptor, wire, global), missing).ConfigureAwait(false);
        var shardLegs = legs.OrderBy(p => p.Key).Select(p => (IReadOnlyList<ShardLeg>)p.Value.Select(l => l.ToLeg()).ToList()).ToList();
        return new ScatteredLegs(wire, global, shardLegs, missing, textEmbedding, imageEmbedding);
    }

    /// <summary>The query images decoded (with the library's bounded decoder) and embedded once, as the shards
    /// receive them; without vectors when the index has no image vectors or the visual leg is not asked for (the
    /// shards then run no visual leg, as a single index would not).</summary>
    private async Task<List<WireQueryImage>> EmbedImagesAsync(HybridQuery query, HybridSearchOptions options, IImageEmbedder? embedder, CancellationToken cancellationToken)
    {
        if (query.Images.Count == 0)
        {
            return [];
        }

        if (embedder is null || !options.Allows(SearchLeg.Visual) || _descriptor.VectorFields.All(f => f.Name != IndexFieldNames.ImageVector))
        {
            return query.Images.Select(i => new WireQueryImage(i.Name, [])).ToList();
        }

        var decoder = new Ingestion.Media.BoundedImageDecoder();
        var decoded = new List<Ingestion.Media.DecodedImage>(query.Images.Count);
        try
        {
            foreach (var image in query.Images)
            {
                decoded.Add(await image.DecodeAsync(decoder, cancellationToken).ConfigureAwait(false));
            }

            var vectors = embedder.Embed(decoded.Select(d => d.Image).ToList(), cancellationToken);
            return query.Images.Select((image, i) => new WireQueryImage(image.Name, new Dictionary<string, float[]>(StringComparer.Ordinal) { [IndexFieldNames.ImageVector] = vectors[i] })).ToList();
        }
        finally
        {
            decoded.ForEach(d => d.Dispose());
        }
    }

    private static SearchHit Bare(FusedHit hit) => new(
        hit.Key, hit.Rank, hit.Score,
        hit.Legs.Select(l => new LegExplanation(SearchLegNames.LegNamed(l.Key), l.Value.Rank, l.Value.RawScore, l.Value.NormalizedScore, l.Value.Weight, l.Value.Contribution,
            l.Value.Abstained ? string.Empty : hit.Key, DocumentKind.Record, null, l.Value.Abstained)).ToList(),
        string.Empty, new Dictionary<string, Records.FieldValue>(), null, null);

    /// <summary>Calls <paramref name="call"/> on each shard concurrently; a shard that throws anything but a user
    /// error, or does not answer within <see cref="ShardTimeout"/>, is added to <paramref name="missing"/>.</summary>
    private async Task<Dictionary<int, T>> Scatter<T>(IReadOnlyList<int> shards, Func<int, Task<T>> call, SortedSet<int> missing)
        where T : class
    {
        var answers = await Task.WhenAll(shards.Select(async s => (Shard: s, Answer: await WithTimeout(call(s)).ConfigureAwait(false)))).ConfigureAwait(false);
        var result = new Dictionary<int, T>();
        foreach (var (shard, answer) in answers)
        {
            if (answer is null)
            {
                missing.Add(shard);
            }
            else
            {
                result[shard] = answer;
            }
        }

        return result;
    }

    private async Task<T?> WithTimeout<T>(Task<T> call)
        where T : class
    {
        var finished = await Task.WhenAny(call, Task.Delay(ShardTimeout)).ConfigureAwait(false);
        if (finished != call)
        {
            _ = call.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe a late failure
            return null;
        }

        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidHybridQueryException or Codecs.EmbedderMismatchException or LexicalQuerySyntaxException)
        {
            throw; // The query's own fault, the same on every shard: the caller's error, not a partial result.
        }
        catch (Exception)
        {
            // The silo died, or the shard could not be opened where it was re-activated (still locked by a silo that
            // has not released it, or damaged): the shard is missing from this answer.
            return null;
        }
    }

    private async Task SendAsync(int shard)
    {
        if (_pending[shard].Count == 0)
        {
            return;
        }

        var batch = _pending[shard].ToList();
        _pending[shard].Clear();
        var result = await Shard(shard).UpsertAsync(_descriptor, batch).ConfigureAwait(false);
        _failures.AddRange(result.Errors.Select(e => (e.RecordId, e.Reason)));
    }

    private IShardGrain Shard(int shard) => _client.GetGrain<IShardGrain>(ShardKey.Format(_descriptor.Name, shard));

    private static IIndexCatalogGrain Catalogue(IClusterClient client) => client.GetGrain<IIndexCatalogGrain>("catalogue");

    /// <summary>How long a catalogue call is retried while its silo is unreachable: the catalogue grain lives on one
    /// silo, and after that silo dies Orleans reactivates it elsewhere only once membership has declared the silo dead
    /// (seconds to tens of seconds). Shard calls do not wait like this: a missing shard makes a partial result.</summary>
    private static readonly TimeSpan CatalogueRetryWindow = TimeSpan.FromSeconds(60);

    /// <summary>Runs a catalogue call, retrying while the silo holding the catalogue is unreachable or dead.</summary>
    private static async Task<T> CatalogueCallAsync<T>(Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException
                && watch.Elapsed < CatalogueRetryWindow)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
            }
        }
    }

    private static void CheckName(string name)
    {
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
        {
            throw new HybridSearchException($"index name '{name}': use letters, digits, '-', '_' and '.' only (it names a folder on every silo).");
        }
    }
}
