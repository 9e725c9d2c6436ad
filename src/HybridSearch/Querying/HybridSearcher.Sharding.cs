using HybridSearch.Fusion;
using HybridSearch.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

// The hooks a sharded index (src/HybridSearch.Cluster) needs: gather BM25 statistics, run the legs with the whole
// collection's statistics and return them unfused, fuse the legs of all shards once, and describe a page of hits.
public sealed partial class HybridSearcher
{
    /// <summary>
    /// The statistics BM25 needs for <paramref name="query"/>'s lexical and transcript legs in this index: each field's
    /// collection statistics and each query term's document and total frequency. Summed over shards
    /// (<see cref="CorpusStatistics.Sum"/>) and passed to <see cref="SearchLegsAsync"/>, they make every shard score
    /// as one index would.
    /// </summary>
    /// <param name="query">The query whose terms to count.</param>
    /// <param name="options">Which legs run; <see cref="DefaultOptions"/> when null.</param>
    public CorpusStatistics CollectStatistics(HybridQuery query, HybridSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= DefaultOptions;
        using var lease = _index.AcquireSearcher();
        var searcher = lease.Searcher;
        var terms = new HashSet<Term>();
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (query.Text is { } text)
        {
            foreach (var (leg, legFields) in new[] { (SearchLeg.Lexical, LexicalLeg.RecordFields), (SearchLeg.Transcript, LexicalLeg.TranscriptFields) })
            {
                if (!options.Allows(leg))
                {
                    continue;
                }

                fields.UnionWith(legFields);
                try
                {
                    searcher.Rewrite(ParseBm25(text, legFields)).ExtractTerms(terms);
                }
                catch (NotSupportedException)
                {
                    // A query type without extractable terms: it scores with local statistics.
                }
            }
        }

        fields.UnionWith(terms.Select(t => t.Field));
        var fieldStats = fields.Select(f =>
        {
            var c = searcher.CollectionStatistics(f);
            return new CorpusFieldStatistics(f, c.MaxDoc, c.DocCount, c.SumTotalTermFreq, c.SumDocFreq);
        });
        var termStats = terms.Select(t =>
        {
            var s = searcher.TermStatistics(t, TermContext.Build(searcher.TopReaderContext, t));
            return new CorpusTermStatistics(t.Field, t.Text, s.DocFreq, s.TotalTermFreq);
        });
        return new CorpusStatistics(fieldStats.ToList(), termStats.ToList());
    }

    /// <summary>
    /// Runs the query's legs on this index exactly as <see cref="SearchAsync"/> does (same filter, windows, grouping by
    /// record) but returns each leg's window unfused, for a coordinator that merges the legs of many shards and fuses
    /// once (<see cref="FuseShardLegs"/>). With <paramref name="statistics"/> BM25 scores with those (global) statistics.
    /// </summary>
    /// <exception cref="InvalidHybridQueryException">As <see cref="SearchAsync"/>.</exception>
    /// <exception cref="Codecs.EmbedderMismatchException">As <see cref="SearchAsync"/>.</exception>
    /// <exception cref="IndexCorruptException">The index's files are damaged.</exception>
    public async Task<IReadOnlyList<ShardLeg>> SearchLegsAsync(HybridQuery query, HybridSearchOptions? options, CorpusStatistics? statistics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= DefaultOptions;
        try
        {
            var (lease, searcher, outcomes) = await RunLegsWithStatisticsAsync(query, options, statistics, cancellationToken).ConfigureAwait(false);
            using (lease)
            {
                var documents = searcher.IndexReader.NumDocs;
                return outcomes.Select(o =>
                {
                    var bm25 = o.Bm25Query is null ? ((float Ceiling, bool QueryAsLongAsRecords)?)null : LegScoreBounds.Bm25Facts(searcher, o);
                    return new ShardLeg(
                        o.Leg,
                        o.Candidates.Select(c => new LegHit(c.RecordId, c.Score)).ToList(),
                        o.Window,
                        o.ScoreFloor,
                        bm25?.Ceiling,
                        documents,
                        o.Embedding + o.Search,
                        // Each query vector's scores against this shard's sketch; the coordinator merges the shards' sketches
                        // into the whole collection's, which is exactly the one a single index would sample.
                        o.Probes?.Select(p => KnnBackground.Sample(searcher, p.Field, p.Vector) ?? new KnnBackgroundSample(p.Field, [], [])).ToList(),
                        bm25?.QueryAsLongAsRecords ?? false);
                }).ToList();
            }
        }
        catch (Exception exception) when (_index.TranslateCorruption(exception) is { } corrupt)
        {
            throw corrupt;
        }
    }

    /// <summary>
    /// Describes hits of a fused page that live in this index (title, metadata, best media, snippet, per-leg
    /// explanation): runs the legs again with the same statistics to find each hit's matched document, then explains
    /// it as <see cref="SearchAsync"/> would. Hits whose record this index no longer holds are left out.
    /// </summary>
    /// <exception cref="IndexCorruptException">The index's files are damaged.</exception>
    public async Task<IReadOnlyList<SearchHit>> DescribeHitsAsync(HybridQuery query, HybridSearchOptions? options, CorpusStatistics? statistics, IReadOnlyList<FusedHit> hits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(hits);
        options ??= DefaultOptions;
        try
        {
            var (lease, searcher, outcomes) = await RunLegsWithStatisticsAsync(query, options, statistics, cancellationToken).ConfigureAwait(false);
            using (lease)
            {
                var byLeg = outcomes.ToDictionary(o => o.Leg);
                var snippetQuery = SnippetQuery(query, byLeg);
                var described = new List<SearchHit>(hits.Count);
                foreach (var hit in hits)
                {
                    // Only the legs in which this shard still finds the record (a refresh between the phases may drop one),
                    // and the legs that abstained on it (they never held it; the coordinator's fusion credited them).
                    var legs = hit.Legs.Where(l => Enum.TryParse<SearchLeg>(l.Key, out var leg) && byLeg.TryGetValue(leg, out var o)
                        && (l.Value.Abstained || o.Candidates.Any(c => c.RecordId == hit.Key))).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
                    if (legs.Count(l => !l.Value.Abstained) == 0 && hit.Legs.Count > 0)
                    {
                        continue;
                    }

                    described.Add(_describer.Describe(searcher, hit with { Legs = legs }, byLeg, options, snippetQuery));
                }

                return described;
            }
        }
        catch (Exception exception) when (_index.TranslateCorruption(exception) is { } corrupt)
        {
            throw corrupt;
        }
    }

    /// <summary>
    /// Merges the legs of disjoint shards (per leg: all shards' windows, best first, ties by record id, cut to the
    /// window — the window a single index would have, since records never span shards) and fuses them once with
    /// <paramref name="options"/>' fusion, as <see cref="SearchAsync"/> fuses a single index's legs.
    /// </summary>
    /// <param name="query">The query (which part of it each leg answers matters to corroboration).</param>
    /// <param name="options">Weights, minimum scores, fusion.</param>
    /// <param name="shards">Each answering shard's legs.</param>
    /// <returns>The fused list (page it with <see cref="ScoreFusion.Page"/>).</returns>
    public static IReadOnlyList<FusedHit> FuseShardLegs(HybridQuery query, HybridSearchOptions options, IReadOnlyList<IReadOnlyList<ShardLeg>> shards) =>
        ScoreFusion.Fuse(RankShardLegs(query, options, shards), options.Fusion);

    /// <summary>
    /// The legs of disjoint shards merged as <see cref="FuseShardLegs"/> merges them, before fusion: the ranked lists
    /// a single index's <see cref="RankLegsAsync"/> returns (what <see cref="FusionTuner"/> fits a profile on).
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="options">Weights, minimum scores, fusion method (for the kNN floors).</param>
    /// <param name="shards">Each answering shard's legs.</param>
    public static IReadOnlyList<RankedLeg> RankShardLegs(HybridQuery query, HybridSearchOptions options, IReadOnlyList<IReadOnlyList<ShardLeg>> shards)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shards);
        var ranked = new List<RankedLeg>();
        foreach (var group in shards.SelectMany(s => s).GroupBy(l => l.Leg).OrderBy(g => g.Key))
        {
            var window = group.Max(l => l.Window);
            var hits = group.SelectMany(l => l.Hits)
                .OrderByDescending(h => h.Score).ThenBy(h => h.Key, StringComparer.Ordinal)
                .Take(window).ToList();
            var best = hits.Count == 0 ? 0f : hits[0].Score;
            var bounds = group.Any(l => l.Bm25Ceiling is not null)
                // Every shard computed the same ceiling from the same global statistics; Max guards against a shard without them.
                ? LegScoreBounds.Bm25(group.Max(l => l.Bm25Ceiling ?? 0f), best)
                // The background score of the whole collection, from the shards' sketches merged per query vector (the
                // same sample one index would take), combined over the visual leg's vectors as VisualLeg combines them.
                : LegScoreBounds.Knn(best, PooledBackground(group.Key, group.ToList(), options.ImageCombination), options.Fusion.Method);
            // Every shard decided from the same global statistics; Any guards against a shard without them.
            ranked.Add(Ranked(group.Key, hits, bounds, query, options, group.Any(l => l.QueryAsLongAsRecords)));
        }

        return ranked;
    }

    /// <summary>A kNN leg's background score over all shards: per query vector the shards' sketches merged
    /// (<see cref="KnnBackground.Pool"/>), then the vectors' backgrounds combined as the visual leg combines its probes
    /// (sum, or the most generous); null when no shard has a vector in the searched fields.</summary>
    private static float? PooledBackground(SearchLeg leg, IReadOnlyList<ShardLeg> shards, MultiImageCombination combination)
    {
        var sketches = shards.Where(l => l.Backgrounds is not null).Select(l => l.Backgrounds!).ToList();
        var probes = sketches.Count == 0 ? 0 : sketches.Max(b => b.Count);
        float? background = null;
        for (var probe = 0; probe < probes; probe++)
        {
            var index = probe;
            if (KnnBackground.Pool(sketches.Where(b => index < b.Count).Select(b => b[index])) is not float value)
            {
                continue;
            }

            background = leg != SearchLeg.Visual ? value
                : combination == MultiImageCombination.Sum ? (background ?? 0f) + value
                : Math.Max(background ?? 0f, value);
        }

        return background;
    }

    /// <summary>Runs the legs as <see cref="SearchAsync"/> does, on a searcher that scores BM25 with
    /// <paramref name="statistics"/> when given; the caller disposes the lease.</summary>
    private async Task<(SearcherLease Lease, IndexSearcher Searcher, LegOutcome[] Outcomes)> RunLegsWithStatisticsAsync(HybridQuery query, HybridSearchOptions options, CorpusStatistics? statistics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var lease = _index.AcquireSearcher();
        try
        {
            var searcher = statistics is null ? lease.Searcher : new GlobalStatisticsSearcher(lease.Searcher, statistics);
            var outcomes = await RunLegsAsync(query, options, searcher, cancellationToken).ConfigureAwait(false);
            return (lease, searcher, outcomes);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}
