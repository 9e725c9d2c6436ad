namespace HybridSearch.Cli.Querying;

/// <summary>One search as the command line (or a batch line, or a showcase query) asks for it.</summary>
/// <param name="Text">Query text, or null.</param>
/// <param name="Images">Query image files (full paths).</param>
/// <param name="Filters">Filters as written.</param>
/// <param name="Top">Page size.</param>
/// <param name="Offset">Hits skipped before the page.</param>
/// <param name="Explain">Whether BM25 legs carry Lucene's score explanation.</param>
internal sealed record SearchRequest(string? Text, IReadOnlyList<string> Images, IReadOnlyList<FilterCondition> Filters, int Top, int Offset, bool Explain)
{
    /// <summary>Fusion settings (method, weights, windows, ...); the library's defaults unless set.</summary>
    public FusionTuning Fusion { get; init; } = FusionTuning.Default;
}
