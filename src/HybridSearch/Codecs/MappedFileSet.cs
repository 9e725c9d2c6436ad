namespace HybridSearch.Codecs;

/// <summary>
/// The mapped files of one segment's vectors, with a reference count: the reader holds one reference, each search in
/// progress holds another (<see cref="HnswVectorValues.Acquire"/>), and the files are unmapped when the last one is
/// released, so closing a reader never pulls the pages from under a running search.
/// </summary>
internal sealed class MappedFileSet(IReadOnlyList<MappedIndexFile> files, string location) : IDisposable
{
    /// <summary>The files as the index directory lists them (the .cfs of a compound segment), for error messages.</summary>
    public string Location { get; } = location;

    private int _references = 1;
    private int _closed;

    /// <summary>True while the reader that opened the files is open.</summary>
    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    /// <summary>True when every file is memory-mapped (false when the directory is not on disk and they were copied).</summary>
    public bool AllMapped => files.All(f => f.IsMapped);

    /// <summary>True while the files are mapped (the reader is open, or a search still holds a reference).</summary>
    public bool IsMapped => Volatile.Read(ref _references) > 0;

    /// <summary>Takes a reference; false once the reader is closed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0 || !IsOpen)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a reference taken by <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            foreach (var file in files)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>Gives back the reader's reference (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Release();
        }
    }
}
