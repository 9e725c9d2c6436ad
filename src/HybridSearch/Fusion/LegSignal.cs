namespace HybridSearch.Fusion;

/// <summary>
/// What fusion read from one leg's window on one query, and the weight that came out of it (see
/// <see cref="FusionOptions.Discrimination"/>). Signals are computed on the leg's evidence values <c>e_1 &gt;= e_2 ...</c>
/// (bounded scores without the rank step: 0 is what an unrelated record scores, 1 a full match), over its first
/// <c>k</c> = <see cref="FusionOptions.SignalDepth"/> hits; all are 0 for an empty window.
/// </summary>
/// <param name="Leg">The leg's name.</param>
/// <param name="Window">Hits in the leg's window.</param>
/// <param name="Confidence"><c>e_1</c>: how well the leg's best record matches.</param>
/// <param name="NearTies">How many hits of the window score within <see cref="FusionOptions.TieMargin"/> of <c>e_1</c>
/// (<c>e_i &gt;= (1 − margin) · e_1</c>): the records the leg cannot tell apart from its best.</param>
/// <param name="TopGap"><c>(e_1 − e_k) / e_1</c>: how far the leg's best stands above its <c>k</c>-th (the last hit
/// when the window is shorter; 1 for a window of one hit above the floor).</param>
/// <param name="Nqc">Normalised query commitment (Shtok et al. 2012) on evidence values: the standard deviation of
/// <c>e_1..e_k</c> (evidence already has the corpus' score subtracted and the query's full match divided out).</param>
/// <param name="Wig">Weighted information gain (Zhou and Croft 2007) on evidence values: the mean of <c>e_1..e_k</c>.</param>
/// <param name="Base">The leg's base <c>b = e_k</c> (0 when the window holds fewer than <c>k</c> hits): the evidence every
/// one of its first <c>k</c> records holds, which cannot tell them apart; under <see cref="FusionOptions.Discrimination"/> it narrows rather than ranks.</param>
/// <param name="Corroboration">The corroboration multiplier of the leg's weight (1 when not lowered).</param>
/// <param name="Weight">The weight the leg counted with: its own weight times <paramref name="Corroboration"/>, then moved
/// under <see cref="FusionOptions.Deferral"/> (0 for a leg that deferred; a rival's own plus what it took).</param>
/// <param name="DeferredTo">The rival a leg gave its weight to under <see cref="FusionOptions.Deferral"/>; null when it did not.</param>
public sealed record LegSignal(
    string Leg,
    int Window,
    double Confidence,
    int NearTies,
    double TopGap,
    double Nqc,
    double Wig,
    double Base,
    double Corroboration,
    double Weight,
    string? DeferredTo = null)
{
    /// <summary><c>b / e_1 = 1 − TopGap</c> when the leg has a base, else 0: how flat its first <c>k</c> are. Under
    /// <see cref="FusionOptions.Discrimination"/> the agreement of two rival legs that are both flat barely counts in the
    /// outvoted-input rule of <see cref="FusionOptions.Corroboration"/>.</summary>
    public double Flatness => Base > 0 && Confidence > 0 ? Base / Confidence : 0;
}
