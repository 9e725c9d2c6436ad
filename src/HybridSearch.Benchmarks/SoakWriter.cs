using HybridSearch.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Benchmarks;

/// <summary>
/// The soak's one writer: upserts new records, re-upserts live ones at the next version and deletes live ones (never
/// reusing a deleted id), committing and refreshing every <c>commitEvery</c> operations; after each commit the ids
/// deleted since the last one are handed to <c>publishDeleted</c>. It remembers what it wrote, so the index can be
/// compared with it at the end.
/// </summary>
internal sealed class SoakWriter(HybridIndex index, SoakCorpus corpus, SoakCounters counters, int commitEvery, int seed, Action<IReadOnlyCollection<string>> publishDeleted)
{
    private const int MinLive = 200;
    private readonly Random _random = new(seed);
    private readonly List<string> _liveIds = [];
    private readonly Dictionary<string, (int Slot, int Version)> _live = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);
    private int _nextNumber;

    /// <summary>How many records the writer has written and not deleted.</summary>
    public int LiveRecords => _liveIds.Count;

    /// <summary>Writes <paramref name="records"/> records at version 1 and commits them.</summary>
    public void Seed(int records)
    {
        for (var i = 0; i < records; i++)
        {
            Upsert(SoakCorpus.RecordId(_nextNumber++), 1);
        }

        index.Commit();
        index.Refresh();
    }

    /// <summary>Writes until <paramref name="stop"/> is cancelled, then commits what is pending.</summary>
    public void Run(CancellationToken stop)
    {
        var pendingDeletes = new List<string>();
        var operations = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var roll = _random.NextDouble();
                if (roll < 0.25 && _liveIds.Count > MinLive)
                {
                    var id = _liveIds[_random.Next(_liveIds.Count)];
                    index.Delete(id);
                    Forget(id);
                    pendingDeletes.Add(id);
                    counters.Delete();
                }
                else if (roll < 0.5 || _liveIds.Count == 0)
                {
                    Upsert(SoakCorpus.RecordId(_nextNumber++), 1);
                }
                else
                {
                    var id = _liveIds[_random.Next(_liveIds.Count)];
                    Upsert(id, _live[id].Version + 1);
                }

                if (++operations % commitEvery == 0)
                {
                    CommitAndPublish(pendingDeletes);
                }
            }
            catch (Exception exception)
            {
                counters.Error("writer", exception);
            }
        }

        try
        {
            CommitAndPublish(pendingDeletes);
        }
        catch (Exception exception)
        {
            counters.Error("writer (last commit)", exception);
        }
    }

    /// <summary>Compares a fresh view of <paramref name="reader"/> (the writer's index, or a read-only open of it) with
    /// what was written: every live record whole at its last version, every deleted one gone, nothing else.</summary>
    public void VerifyFinal(HybridIndex reader)
    {
        reader.Refresh();
        using var lease = reader.AcquireSearcher();
        var searcher = lease.Searcher;
        var records = searcher.Search(new TermQuery(new Term(IndexFieldNames.Kind, "record")), int.MaxValue / 2);
        if (records.TotalHits != _liveIds.Count)
        {
            counters.FinalMismatch($"the index holds {records.TotalHits} records, the writer left {_liveIds.Count}.");
        }

        foreach (var (id, (_, version)) in _live)
        {
            if (SoakRecordCheck.CheckWhole(searcher, id) is { } problem)
            {
                counters.FinalMismatch(problem);
                continue;
            }

            var found = searcher.Search(new TermQuery(new Term(IndexFieldNames.Id, id)), 1);
            var stored = found.TotalHits == 1 ? (int)(searcher.Doc(found.ScoreDocs[0].Doc).GetField(IndexFieldNames.Metadata(SoakCorpus.VersionField))?.GetDoubleValue() ?? -1) : -1;
            if (stored != version)
            {
                counters.FinalMismatch(found.TotalHits == 0 ? $"record '{id}' version {version} is missing." : $"record '{id}' is at version {stored}, the writer wrote {version}.");
            }
        }

        foreach (var id in _deleted)
        {
            if (searcher.Search(new TermQuery(new Term(IndexFieldNames.Parent, id)), 1).TotalHits != 0)
            {
                counters.FinalMismatch($"record '{id}' was deleted but still has documents.");
            }
        }
    }

    private void CommitAndPublish(List<string> pendingDeletes)
    {
        index.Commit();
        index.Refresh();
        counters.Commit();
        publishDeleted(pendingDeletes.ToArray());
        pendingDeletes.Clear();
    }

    private void Upsert(string id, int version)
    {
        index.Upsert(corpus.Build(id, version, _random));
        if (_live.TryGetValue(id, out var entry))
        {
            _live[id] = (entry.Slot, version);
        }
        else
        {
            _live[id] = (_liveIds.Count, version);
            _liveIds.Add(id);
        }

        counters.Upsert();
    }

    private void Forget(string id)
    {
        // Swap-remove keeps picking a random live id O(1).
        var slot = _live[id].Slot;
        var last = _liveIds[^1];
        _liveIds[slot] = last;
        _live[last] = (slot, _live[last].Version);
        _liveIds.RemoveAt(_liveIds.Count - 1);
        _live.Remove(id);
        _deleted.Add(id);
    }
}
