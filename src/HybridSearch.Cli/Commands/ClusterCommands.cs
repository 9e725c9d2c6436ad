using System.Text.Json.Nodes;
using HybridSearch.Cli.Querying;
using HybridSearch.Cluster.Coordination;
using HybridSearch.Cluster.Hosting;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Querying;
using HybridSearch.Records;

namespace HybridSearch.Cli.Commands;

/// <summary>The <c>--cluster</c> forms of <c>index</c>, <c>search</c>, <c>stats</c>, <c>tune</c> and <c>delete</c>:
/// the same options and output, against a logical index sharded over an Orleans cluster; and <c>rebalance</c>, which
/// exists only for a cluster.</summary>
internal static class ClusterCommands
{
    /// <summary><c>index --cluster</c>: embeds here (models loaded once in this process) and sends records to their
    /// shards in batches; exit 2 when items failed.</summary>
    public static async Task<int> IndexAsync(CliConsole console, string url, string name, int shards, IngestionPipeline pipeline, IRecordSource source, CancellationToken cancellationToken)
    {
        var (host, client) = await ClusterClientHost.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            var index = await ClusterIndex.OpenOrCreateAsync(client, name, shards, pipeline.VectorFields).ConfigureAwait(false);
            CheckVectorFields(index, pipeline);
            var target = $"{url} index '{name}' ({index.Shards} shards)";
            IngestionSummary summary;
            try
            {
                summary = await pipeline.RunAsync(source, index, console.IsTerminal ? null : new Output.PlainIngestionProgress(console.Error), cancellationToken).ConfigureAwait(false);
            }
            catch (IngestionCanceledException cancelled)
            {
                IndexingRunner.ReportSummary(console, cancelled.Summary, target);
                console.Error.WriteLine($"interrupted: the {cancelled.Summary.Indexed} records indexed so far are committed on their shards; run the same command again to index the rest.");
                return ExitCodes.Cancelled;
            }

            var exit = IndexingRunner.ReportSummary(console, summary, target);
            foreach (var (id, reason) in index.Failures)
            {
                console.Out.WriteLine($"  {id}: {CliApplication.OneLine(reason)} [record '{id}' not indexed]");
            }

            return index.Failures.Count > 0 ? ExitCodes.IngestionFailures : exit;
        }
    }

    /// <summary><c>search --cluster</c>: one query or a batch, printed as a single index's; a partial result adds
    /// <c>"partial": true, "missing_shards": [..]</c> to the JSON and a warning line to the table.</summary>
    public static async Task<int> SearchAsync(CliConsole console, string url, string name, IReadOnlyList<(string? Id, SearchRequest Request)> requests, bool json, CancellationToken cancellationToken)
    {
        var (host, client) = await ClusterClientHost.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            var index = await ClusterIndex.OpenAsync(client, name).ConfigureAwait(false);
            var kinds = requests.Any(r => r.Request.Filters.Count > 0) ? await index.MetadataFieldsAsync().ConfigureAwait(false) : new Dictionary<string, FieldKind>();
            var text = index.VectorFields.ContainsKey(IndexFieldNames.TextVector) && requests.Any(r => !string.IsNullOrWhiteSpace(r.Request.Text)) ? LoadedModels.Shared.Text() : null;
            // Query images are decoded and embedded here, once; the shards receive the vectors.
            var image = index.VectorFields.ContainsKey(IndexFieldNames.ImageVector) && requests.Any(r => r.Request.Images.Count > 0) ? LoadedModels.Shared.Images() : null;
            foreach (var (id, request) in requests)
            {
                var (query, options) = Build(request, kinds);
                ClusterSearchResults results;
                try
                {
                    results = await index.SearchAsync(query, options, text, image, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (id is not null && CliApplication.IsUserError(exception))
                {
                    throw new CliUserException($"query '{id}': {exception.Message}", exception);
                }

                if (json || id is not null)
                {
                    var node = JsonNode.Parse(Output.SearchJsonWriter.Write(results.Results, id, request.Explain))!.AsObject();
                    if (results.Partial)
                    {
                        node["partial"] = true;
                        node["missing_shards"] = new JsonArray([.. results.MissingShards.Select(s => (JsonNode?)JsonValue.Create(s))]);
                    }

                    console.Out.WriteLine(node.ToJsonString());
                }
                else
                {
                    if (results.Partial)
                    {
                        console.Out.WriteLine($"warning: partial result — shards {string.Join(", ", results.MissingShards)} of {index.Shards} did not answer; records they hold are missing.");
                    }

                    Output.SearchTableRenderer.Render(console.Ansi, results.Results, request.Explain);
                }
            }

            return ExitCodes.Success;
        }
    }

    /// <summary><c>tune --cluster</c>: every judged query's legs from the shards (merged as a search merges them),
    /// fitted as for a single index, the profile stored in the cluster's catalogue for the index.</summary>
    public static async Task<int> TuneAsync(CliConsole console, string url, string name, IReadOnlyList<BatchQuery> batch, IReadOnlyList<SearchRequest> requests, string queriesFile,
        Fusion.TuningMetric metric, string metricName, int folds, string? outFile, CancellationToken cancellationToken)
    {
        var (host, client) = await ClusterClientHost.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            var index = await ClusterIndex.OpenAsync(client, name).ConfigureAwait(false);
            var known = await index.KnownRecordsAsync(batch.SelectMany(q => q.Relevant!)).ConfigureAwait(false);
            var kinds = requests.Any(r => r.Filters.Count > 0) ? await index.MetadataFieldsAsync().ConfigureAwait(false) : new Dictionary<string, FieldKind>();
            var text = index.VectorFields.ContainsKey(IndexFieldNames.TextVector) && requests.Any(r => !string.IsNullOrWhiteSpace(r.Text)) ? LoadedModels.Shared.Text() : null;
            var image = index.VectorFields.ContainsKey(IndexFieldNames.ImageVector) && requests.Any(r => r.Images.Count > 0) ? LoadedModels.Shared.Images() : null;
            var legs = new List<IReadOnlyList<Fusion.RankedLeg>?>();
            var progress = new TuneCommand.LegsProgress(console, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                if (!batch[i].Relevant!.Any(known.Contains))
                {
                    legs.Add(null);
                    progress.Ranked(i + 1);
                    continue;
                }

                var (query, options) = Build(requests[i], kinds);
                var (ranked, missing) = await index.RankLegsAsync(query, options, text, image, cancellationToken).ConfigureAwait(false);
                if (missing.Count > 0)
                {
                    // A profile fitted on part of the collection would be fitted to the wrong legs: stop instead.
                    throw new CliUserException($"query '{batch[i].Id}': shards {string.Join(", ", missing)} did not answer; run tune again when every shard is back.");
                }

                legs.Add(ranked);
                progress.Ranked(i + 1);
            }

            var judged = TuneCommand.Judge(console, queriesFile, batch, known, legs);
            var result = TuneCommand.Fit(console, judged, folds, metric);
            await index.SetFusionProfileAsync(result.Profile).ConfigureAwait(false);
            TuneCommand.Report(console, result, metricName, outFile, $"the catalogue of {url} for index '{name}'");
            return ExitCodes.Success;
        }
    }

    /// <summary>The query and options of one request, as a single index's session builds them.</summary>
    private static (HybridQuery Query, HybridSearchOptions Options) Build(SearchRequest request, IReadOnlyDictionary<string, FieldKind> kinds)
    {
        var query = HybridQuery.Empty.WithText(request.Text).WithFilter(FilterResolver.Resolve(request.Filters, kinds));
        foreach (var path in request.Images)
        {
            var kind = FileKinds.Of(path);
            if (kind != FileKind.RegularFile)
            {
                throw new CliUserException(kind == FileKind.Missing
                    ? $"query image '{path}' does not exist."
                    : $"query image '{path}' is {FileKinds.Describe(kind)}, not a regular file.");
            }

            query = query.WithImage(QueryImage.FromFile(path));
        }

        var options = request.Fusion.Apply(HybridSearchOptions.Default).WithPage(request.Offset, request.Top) with { Explain = request.Explain };
        return (query, options with { CandidateWindow = Math.Max(options.CandidateWindow, request.Offset + request.Top) });
    }

    /// <summary><c>stats --cluster</c>: without an index, the live silos and the logical indexes; with one, each
    /// shard's owner and counts.</summary>
    public static async Task<int> StatsAsync(CliConsole console, string url, string? name, bool json, CancellationToken cancellationToken)
    {
        var (host, client) = await ClusterClientHost.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            if (name is null)
            {
                var silos = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
                var indexes = await ClusterIndex.ListAsync(client).ConfigureAwait(false);
                if (json)
                {
                    var node = new JsonObject
                    {
                        ["cluster"] = url,
                        ["silos"] = new JsonArray([.. silos.Keys.Select(s => (JsonNode?)JsonValue.Create(s.ToString())).OrderBy(s => s!.ToString())]),
                        ["indexes"] = new JsonArray([.. indexes.Select(i => (JsonNode?)new JsonObject { ["name"] = i.Name, ["shards"] = i.Shards })]),
                    };
                    console.Out.WriteLine(node.ToJsonString());
                }
                else
                {
                    console.Out.WriteLine($"cluster {url}: {silos.Count} live silos");
                    foreach (var silo in silos.Keys.Select(s => s.ToString()).Order(StringComparer.Ordinal))
                    {
                        console.Out.WriteLine($"  silo {silo}");
                    }

                    console.Out.WriteLine($"indexes: {indexes.Count}");
                    foreach (var (indexName, shards) in indexes)
                    {
                        console.Out.WriteLine($"  {indexName} ({shards} shards)");
                    }
                }

                return ExitCodes.Success;
            }

            var index = await ClusterIndex.OpenAsync(client, name).ConfigureAwait(false);
            var stats = await index.StatsAsync().ConfigureAwait(false);
            var missing = stats.Where(s => s.Silo is null).Select(s => s.Shard).ToList();
            if (json)
            {
                var node = new JsonObject
                {
                    ["index"] = name,
                    ["shards"] = index.Shards,
                    ["records"] = stats.Sum(s => s.Records),
                    ["documents"] = stats.Sum(s => s.Documents),
                    ["size_bytes"] = stats.Sum(s => s.SizeBytes),
                    ["shard_stats"] = new JsonArray([.. stats.Select(s => (JsonNode?)new JsonObject { ["shard"] = s.Shard, ["silo"] = s.Silo, ["records"] = s.Records, ["documents"] = s.Documents, ["size_bytes"] = s.SizeBytes })]),
                    ["vector_fields"] = new JsonObject(index.VectorFields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)new JsonObject { ["dimension"] = f.Value.Dimension, ["similarity"] = f.Value.Similarity.ToString().ToLowerInvariant(), ["embedder"] = f.Value.Embedder }))),
                };
                node["fusion_profile"] = index.FusionProfile?.ToJsonNode();
                if (missing.Count > 0)
                {
                    node["partial"] = true;
                    node["missing_shards"] = new JsonArray([.. missing.Select(s => (JsonNode?)JsonValue.Create(s))]);
                }

                console.Out.WriteLine(node.ToJsonString());
            }
            else
            {
                if (missing.Count > 0)
                {
                    console.Out.WriteLine($"warning: partial result — shards {string.Join(", ", missing)} of {index.Shards} did not answer.");
                }

                console.Out.WriteLine($"index '{name}' on {url}: {index.Shards} shards, {stats.Sum(s => s.Records)} records, {stats.Sum(s => s.Documents)} documents, {Output.ByteSizeFormatter.Format(stats.Sum(s => s.SizeBytes))}");
                foreach (var s in stats)
                {
                    console.Out.WriteLine(s.Silo is null ? $"  shard {s.Shard}: no answer" : $"  shard {s.Shard}: {s.Records} records, {s.Documents} documents, {Output.ByteSizeFormatter.Format(s.SizeBytes)} on silo {s.Silo}");
                }

                foreach (var (field, options) in index.VectorFields)
                {
                    console.Out.WriteLine($"  vector field {field}: {options.Dimension}-d {options.Similarity.ToString().ToLowerInvariant()}, embedder '{options.Embedder}'");
                }

                console.Out.WriteLine(index.FusionProfile is { } profile
                    ? $"fusion profile (fitted by 'tune --cluster', used by search unless --profile default): {profile.ToJson()}"
                    : "fusion profile: none (search uses the default fusion)");
            }

            return ExitCodes.Success;
        }
    }

    /// <summary><c>rebalance --cluster</c>: moves the shards that are off their placement rule's silo and prints each
    /// move (from → to, how long until the shard answered there), or that the index is balanced; exit 0 when every
    /// such shard moved, 1 when some did not (each printed with the reason).</summary>
    public static async Task<int> RebalanceAsync(CliConsole console, string url, string name, TimeSpan timeout, bool json, CancellationToken cancellationToken)
    {
        var (host, client) = await ClusterClientHost.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            var index = await ClusterIndex.OpenAsync(client, name).ConfigureAwait(false);
            index.RebalanceTimeout = timeout;
            var moves = await index.RebalanceAsync(cancellationToken).ConfigureAwait(false);
            var failed = moves.Where(m => !m.Moved).ToList();
            if (json)
            {
                console.Out.WriteLine(new JsonObject
                {
                    ["index"] = name,
                    ["shards"] = index.Shards,
                    ["balanced"] = failed.Count == 0,
                    ["moves"] = new JsonArray([.. moves.Select(m => (JsonNode?)new JsonObject
                    {
                        ["shard"] = m.Shard,
                        ["from"] = m.From,
                        ["to"] = m.To,
                        ["moved"] = m.Moved,
                        ["seconds"] = Math.Round(m.Elapsed.TotalSeconds, 3),
                        ["failure"] = m.Failure,
                    })]),
                }.ToJsonString());
            }
            else if (moves.Count == 0)
            {
                console.Out.WriteLine($"index '{name}' on {url} is balanced: each of its {index.Shards} shards runs on the silo the placement rule names over the live silos; nothing moved.");
            }
            else
            {
                console.Out.WriteLine($"index '{name}' on {url}: {moves.Count - failed.Count} of {index.Shards} shards moved{(failed.Count > 0 ? $", {failed.Count} did not" : string.Empty)}");
                foreach (var move in moves)
                {
                    console.Out.WriteLine(move.Moved
                        ? $"  shard {move.Shard}: {move.From} → {move.To} (answering there after {move.Elapsed.TotalSeconds:0.0} s)"
                        : $"  shard {move.Shard}: {move.From} → {move.To} not moved: {CliApplication.OneLine(move.Failure!)}");
                }
            }

            if (failed.Count > 0)
            {
                console.Error.WriteLine($"error: shards {string.Join(", ", failed.Select(m => m.Shard))} of index '{name}' did not move (reasons above); run rebalance again.");
                return ExitCodes.UserError;
            }

            return ExitCodes.Success;
        }
    }

    /// <summary><c>delete --cluster</c>: deletes the record from its shard and commits; an unknown id is exit 1.</summary>
    public static async Task<int> DeleteAsync(CliConsole console, string url, string name, string id, CancellationToken cancellationToken)
    {
        var (host, client) = await ClusterClientHost.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            var index = await ClusterIndex.OpenAsync(client, name).ConfigureAwait(false);
            if (!await index.DeleteAsync(id).ConfigureAwait(false))
            {
                throw new CliUserException($"record '{id}' is not in index '{name}'.");
            }

            console.Out.WriteLine($"deleted record '{id}' from index '{name}' (shard {ShardRouter.ShardOf(id, index.Shards)})");
            return ExitCodes.Success;
        }
    }

    private static void CheckVectorFields(ClusterIndex index, IngestionPipeline pipeline)
    {
        foreach (var (field, wanted) in pipeline.VectorFields)
        {
            if (index.VectorFields.TryGetValue(field, out var existing)
                && (existing.Dimension != wanted.Dimension || existing.Similarity != wanted.Similarity || existing.Embedder != wanted.Embedder))
            {
                throw new SchemaMismatchException(field, $"the cluster index '{index.Name}' stores {existing.Dimension}-d vectors by '{existing.Embedder}', this run writes {wanted.Dimension}-d by '{wanted.Embedder}'.");
            }
        }
    }
}
