namespace HybridSearch.Tests.Querying;

/// <summary>The 8-segment index without deletions that <see cref="KnnMultiSegmentTests"/> only read, written once
/// for the class instead of once per test.</summary>
public sealed class KnnMultiSegmentIndex : IDisposable
{
    private readonly TempDirectory _temp = new();

    public KnnMultiSegmentIndex() => KnnMultiSegmentTests.WriteIndex(_temp.Path, deleted: null);

    /// <summary>The index folder.</summary>
    public string Path => _temp.Path;

    public void Dispose() => _temp.Dispose();
}
