using System.Collections.Concurrent;

namespace HybridSearch.Benchmarks;

/// <summary>
/// The record ids whose deletion a query must already see: an id is published only after the refresh that made its
/// deletion visible has returned, so a query that read <see cref="Sequence"/> before it acquired its searcher must
/// not return an id published at or before that sequence. Ids are never reused after a delete.
/// </summary>
internal sealed class SoakDeletions
{
    private readonly ConcurrentDictionary<string, long> _deleted = new(StringComparer.Ordinal);
    private long _sequence;

    public long Sequence => Interlocked.Read(ref _sequence);

    public void Publish(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var sequence = Interlocked.Increment(ref _sequence);
        foreach (var id in ids)
        {
            _deleted[id] = sequence;
        }
    }

    /// <summary>True when <paramref name="id"/> was published as deleted at or before <paramref name="sequence"/>.</summary>
    public bool WasDeletedBy(string id, long sequence) => _deleted.TryGetValue(id, out var published) && published <= sequence;
}
