namespace HybridSearch.Indexing;

/// <summary>One thing wrong with an index, found by <see cref="HybridIndex.Check"/>.</summary>
/// <param name="File">The damaged file (a name inside the index directory), or null when the problem is not a file's
/// (a record whose documents disagree).</param>
/// <param name="Reason">What is wrong.</param>
/// <param name="RecordId">The record affected, when known: re-index it to repair the index.</param>
public sealed record IndexCheckProblem(string? File, string Reason, string? RecordId = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        (File is null ? string.Empty : $"{File}: ") + Reason + (RecordId is null ? string.Empty : $" [record '{RecordId}']");
}
