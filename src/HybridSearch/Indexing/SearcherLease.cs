using Lucene.Net.Search;

namespace HybridSearch.Indexing;

/// <summary>A point-in-time searcher borrowed from a <see cref="HybridIndex"/>; dispose it to give it back.</summary>
public sealed class SearcherLease : IDisposable
{
    private readonly ReferenceManager<IndexSearcher> _manager;
    private int _released;

    internal SearcherLease(ReferenceManager<IndexSearcher> manager)
    {
        _manager = manager;
        Searcher = manager.Acquire();
    }

    /// <summary>The searcher: it sees the index as of the last refresh, for as long as the lease is held.</summary>
    public IndexSearcher Searcher { get; }

    /// <summary>Returns the searcher to the index.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _manager.Release(Searcher);
        }
    }
}
