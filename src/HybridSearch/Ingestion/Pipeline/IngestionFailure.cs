namespace HybridSearch.Ingestion.Pipeline;

/// <summary>One problem an <see cref="IngestionPipeline"/> run met and went past.</summary>
/// <param name="Path">The file at fault: the manifest or record file for a source error, the media file or sidecar
/// for a media error.</param>
/// <param name="Line">1-based line in <paramref name="Path"/> for line-oriented sources, else null.</param>
/// <param name="Reason">What is wrong (e.g. <c>Truncated: PNG has no IEND chunk</c>).</param>
/// <param name="RecordId">The record the problem belongs to, or null for a source error (no record was read).</param>
/// <param name="RecordIndexed">True when the record was still indexed, without the failed media file.</param>
public sealed record IngestionFailure(string Path, int? Line, string Reason, string? RecordId, bool RecordIndexed)
{
    /// <summary><c>path:line: reason</c>, as compilers print errors.</summary>
    public override string ToString() => Line is { } line ? $"{Path}:{line}: {Reason}" : $"{Path}: {Reason}";
}
