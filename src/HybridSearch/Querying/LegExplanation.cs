using HybridSearch.Indexing;

namespace HybridSearch.Querying;

/// <summary>What one leg contributed to one fused hit.</summary>
/// <param name="Leg">The leg.</param>
/// <param name="Rank">The record's 1-based rank in the leg (after grouping by record and minimum-score filtering).</param>
/// <param name="RawScore">The leg's score for the record: its best child's BM25 score or kNN score ((1 + cos) / 2).</param>
/// <param name="NormalizedScore">The fusion method's per-leg value before weighting.</param>
/// <param name="Weight">The weight the leg counted with in this query: the configured weight, lowered when
/// corroboration found the leg contradicted by the others (see <see cref="HybridSearch.Fusion.FusionOptions.Corroboration"/>).</param>
/// <param name="Contribution">Weight × normalised value; the contributions of a hit's legs sum to its fused score.</param>
/// <param name="MatchedDocumentId">The id of the best-matching document of the record in this leg (the record, or a
/// child such as <c>rec#image/2</c>).</param>
/// <param name="MatchedKind">The kind of that document.</param>
/// <param name="LuceneExplanation">Lucene's explanation of the BM25 score of that document, when explanations were
/// requested and the leg is a BM25 leg; otherwise null.</param>
public sealed record LegExplanation(
    SearchLeg Leg,
    int Rank,
    float RawScore,
    double NormalizedScore,
    double Weight,
    double Contribution,
    string MatchedDocumentId,
    DocumentKind MatchedKind,
    Lucene.Net.Search.Explanation? LuceneExplanation);
