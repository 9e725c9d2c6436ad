using HybridSearch.Indexing;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// One query loop of the soak: a hybrid query (lexical, semantic text and transcript legs; a quarter of them with a
/// group filter) from the corpus's pool, then every hit checked: whole in the search's own view, whole in a searcher
/// acquired right after, and not a record whose deletion was published before the query started.
/// <c>beforeQuery</c> runs first on each round (reader processes reopen the index there).
/// </summary>
internal sealed class SoakQueryWorker(HybridIndex index, HybridSearcher searcher, SoakCorpus corpus, SoakDeletions deletions, SoakCounters counters, int seed, Action? beforeQuery = null)
{
    private static readonly HybridSearchOptions Options = HybridSearchOptions.Default.WithPage(0, 10);

    /// <summary>Searches each pool query once (loads the model's query vectors; not counted).</summary>
    public async Task WarmUpAsync()
    {
        foreach (var text in corpus.Queries)
        {
            await searcher.SearchAsync(HybridQuery.ForText(text), Options).ConfigureAwait(false);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(seed);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                beforeQuery?.Invoke();
                var sequence = deletions.Sequence;
                var query = HybridQuery.ForText(corpus.Queries[random.Next(corpus.Queries.Count)]);
                if (random.Next(4) == 0)
                {
                    query = query.WithFilter(SearchFilter.None.WithKeyword(SoakCorpus.GroupField, $"g{random.Next(SoakCorpus.Groups)}"));
                }

                // Not cancelled by stop: a query that has started runs to its end, so stopping is never an error.
                var results = await searcher.SearchAsync(query, Options).ConfigureAwait(false);
                counters.Query(results.Hits.Count);
                foreach (var hit in results.Hits)
                {
                    if (SoakRecordCheck.CheckHit(hit) is { } problem)
                    {
                        counters.Torn(problem);
                    }

                    if (deletions.WasDeletedBy(hit.RecordId, sequence))
                    {
                        counters.StaleDeleted($"record '{hit.RecordId}' was returned by a query that started after its deletion was visible.");
                    }
                }

                using var lease = index.AcquireSearcher();
                foreach (var hit in results.Hits)
                {
                    counters.RecordChecked();
                    if (SoakRecordCheck.CheckWhole(lease.Searcher, hit.RecordId) is { } problem)
                    {
                        counters.Torn(problem);
                    }
                }
            }
            catch (Exception exception)
            {
                counters.Error("query", exception);
            }
        }
    }
}
