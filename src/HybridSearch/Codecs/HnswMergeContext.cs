using Lucene.Net.Index;

namespace HybridSearch.Codecs;

/// <summary>
/// The merge of one binary field in progress on this thread: what <see cref="HnswVectorsWriter"/> needs to start from
/// the incoming graphs. Set by <see cref="HnswMergeContextConsumer"/> around Lucene's per-field merge, which reaches the
/// vectors writer only through AddBinaryField.
/// </summary>
internal sealed class HnswMergeContext
{
    [ThreadStatic]
    private static HnswMergeContext? _threadCurrent;

    private HnswMergeContext(string field, MergeState mergeState, IList<BinaryDocValues> toMerge)
    {
        Field = field;
        MergeState = mergeState;
        ToMerge = toMerge;
    }

    /// <summary>The field being merged.</summary>
    public string Field { get; }

    /// <summary>The merge's readers, document maps and bases.</summary>
    public MergeState MergeState { get; }

    /// <summary>Per incoming reader, its values of the field (our <see cref="HnswVectorValues"/> where it has vectors).</summary>
    public IList<BinaryDocValues> ToMerge { get; }

    /// <summary>The merge of <paramref name="field"/> in progress on this thread, or null.</summary>
    public static HnswMergeContext? For(string field) => _threadCurrent is { } current && current.Field == field ? current : null;

    /// <summary>Makes the merge current on this thread until the returned scope is disposed.</summary>
    public static IDisposable Enter(string field, MergeState mergeState, IList<BinaryDocValues> toMerge)
    {
        var previous = _threadCurrent;
        _threadCurrent = new HnswMergeContext(field, mergeState, toMerge);
        return new Scope(previous);
    }

    private sealed class Scope(HnswMergeContext? previous) : IDisposable
    {
        public void Dispose() => _threadCurrent = previous;
    }
}
