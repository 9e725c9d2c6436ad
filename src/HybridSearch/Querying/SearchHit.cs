using HybridSearch.Records;

namespace HybridSearch.Querying;

/// <summary>One record of a page of hybrid results.</summary>
/// <param name="RecordId">The record id.</param>
/// <param name="Rank">1-based rank in the fused list (offset + position on the page).</param>
/// <param name="Score">The fused score: the sum of <see cref="LegExplanation.Contribution"/> over <paramref name="Legs"/>.</param>
/// <param name="Legs">Every leg that found the record, in leg order, with its rank, raw score and contribution.</param>
/// <param name="Title">The record's title (empty when it has none).</param>
/// <param name="Metadata">The record's metadata fields.</param>
/// <param name="BestMedia">The best-matching image or audio segment, or null when no leg matched media.</param>
/// <param name="Snippet">A passage of the best-matching text with query terms in <c>&lt;b&gt;…&lt;/b&gt;</c> (HTML-escaped
/// otherwise), or null when snippets are off or the record has no text.</param>
public sealed record SearchHit(
    string RecordId,
    int Rank,
    double Score,
    IReadOnlyList<LegExplanation> Legs,
    string Title,
    IReadOnlyDictionary<string, FieldValue> Metadata,
    MatchedMedia? BestMedia,
    string? Snippet);
