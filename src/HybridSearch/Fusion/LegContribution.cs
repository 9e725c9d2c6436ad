namespace HybridSearch.Fusion;

/// <summary>What one leg said about one fused record: the explanation of that leg's part of the fused score.</summary>
/// <param name="Rank">1-based rank of the record in the leg, after <see cref="RankedLeg.MinScore"/> filtering and
/// de-duplication; 0 when <paramref name="Abstained"/> (the record is not in the leg's window).</param>
/// <param name="RawScore">The leg's own score for the record, as given; when <paramref name="Abstained"/>, the score of the
/// leg's weakest match, which the record was credited.</param>
/// <param name="NormalizedScore">The method's per-leg value <c>n_leg(d)</c> (see <see cref="FusionMethod"/>), before weighting.</param>
/// <param name="Weight">
/// The weight the leg counted with in this query: its <see cref="RankedLeg.Weight"/>, times the leg's corroboration
/// multiplier when <see cref="FusionOptions.Corroboration"/> lowered it (a leg the other legs contradicted).
/// </param>
/// <param name="Contribution"><c>Weight · n_leg(d)</c>; the contributions of a fused hit sum to its fused score. 0 for a leg of weight 0.</param>
/// <param name="Abstained">True when the leg did not match the record and abstained on it (see
/// <see cref="FusionOptions.Abstention"/>): credited, not matched.</param>
public sealed record LegContribution(int Rank, float RawScore, double NormalizedScore, double Weight, double Contribution, bool Abstained = false);
