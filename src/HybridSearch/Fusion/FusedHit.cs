namespace HybridSearch.Fusion;

/// <summary>One record of the fused list.</summary>
/// <param name="Key">The record id.</param>
/// <param name="Rank">1-based rank in the fused list.</param>
/// <param name="Score">The fused score: the sum, in leg order, of the <see cref="LegContribution.Contribution"/> values in <paramref name="Legs"/>.</param>
/// <param name="Legs">
/// For every leg in which the record appears (after filtering), keyed by leg name and in leg order: its rank, raw
/// score, normalised score and contribution. Legs in which the record is absent are not listed and contributed 0, except
/// a leg that abstained on it (<see cref="LegContribution.Abstained"/>), listed with the credit it gave.
/// </param>
public sealed record FusedHit(string Key, int Rank, double Score, IReadOnlyDictionary<string, LegContribution> Legs);
