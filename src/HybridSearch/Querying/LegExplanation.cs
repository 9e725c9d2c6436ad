using HybridSearch.Indexing;

namespace HybridSearch.Querying;

/// <summary>What one leg contributed to one fused hit.</summary>
/// <param name="Leg">The leg.</param>
/// <param name="Rank">The record's 1-based rank in the leg (after grouping by record and minimum-score filtering); 0 when
/// <paramref name="Abstained"/>.</param>
/// <param name="RawScore">The leg's score for the record: its best child's BM25 score or kNN score ((1 + cos) / 2); when
/// <paramref name="Abstained"/>, the score of the leg's weakest match, which the record was credited.</param>
/// <param name="NormalizedScore">The fusion method's per-leg value before weighting.</param>
/// <param name="Weight">The weight the leg counted with in this query: the configured weight, lowered when
/// corroboration found the leg contradicted by the others (see <see cref="HybridSearch.Fusion.FusionOptions.Corroboration"/>).</param>
/// <param name="Contribution">Weight × normalised value; the contributions of a hit's legs sum to its fused score.</param>
/// <param name="MatchedDocumentId">The id of the best-matching document of the record in this leg (the record, or a
/// child such as <c>rec#image/2</c>); empty when <paramref name="Abstained"/>.</param>
/// <param name="MatchedKind">The kind of that document (<see cref="DocumentKind.Record"/> when <paramref name="Abstained"/>).</param>
/// <param name="LuceneExplanation">Lucene's explanation of the BM25 score of that document, when explanations were
/// requested and the leg is a BM25 leg that matched the record; otherwise null.</param>
/// <param name="Abstained">True when the leg (BM25) matched no document of the record and abstained on it: credited
/// its weakest match, not matched (see <see cref="HybridSearch.Fusion.FusionOptions.Abstention"/>).</param>
public sealed record LegExplanation(
    SearchLeg Leg,
    int Rank,
    float RawScore,
    double NormalizedScore,
    double Weight,
    double Contribution,
    string MatchedDocumentId,
    DocumentKind MatchedKind,
    Lucene.Net.Search.Explanation? LuceneExplanation,
    bool Abstained = false);
