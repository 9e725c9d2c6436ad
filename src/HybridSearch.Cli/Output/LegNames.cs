using HybridSearch.Querying;

namespace HybridSearch.Cli.Output;

/// <summary>The names legs have in the command's output (JSON keys and table cells).</summary>
internal static class LegNames
{
    /// <summary><c>lexical</c>, <c>semantic_text</c>, <c>visual</c> or <c>transcript</c>.</summary>
    public static string Of(SearchLeg leg) => leg switch
    {
        SearchLeg.Lexical => "lexical",
        SearchLeg.SemanticText => "semantic_text",
        SearchLeg.Visual => "visual",
        SearchLeg.Transcript => "transcript",
        _ => leg.ToString().ToLowerInvariant(),
    };
}
