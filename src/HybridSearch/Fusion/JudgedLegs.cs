namespace HybridSearch.Fusion;

/// <summary>One judged query for <see cref="FusionTuner"/>: its legs, computed once, and the records that answer it.</summary>
/// <param name="Legs">The query's ranked legs (e.g. from <c>HybridSearcher.RankLegsAsync</c>).</param>
/// <param name="Relevant">The keys of the relevant records.</param>
public sealed record JudgedLegs(IReadOnlyList<RankedLeg> Legs, IReadOnlySet<string> Relevant);
