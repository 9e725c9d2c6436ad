namespace HybridSearch.Fusion;

/// <summary>How <see cref="ScoreFusion.Fuse"/> turns several ranked legs into one fused score per record.</summary>
/// <remarks>
/// Every method computes, per leg, a normalised value <c>n_leg(d) &gt;= 0</c> for each hit <c>d</c> of the leg's
/// window (its hits after <see cref="RankedLeg.MinScore"/> filtering and de-duplication), and fuses by a weighted
/// sum <c>score(d) = Σ_legs w_leg · n_leg(d)</c>, where a leg in which <c>d</c> is absent contributes 0. Because
/// every <c>n_leg</c> is non-negative and the lowest value a leg can give is 0, "absent" never outranks "present".
/// </remarks>
public enum FusionMethod
{
    /// <summary>
    /// Reciprocal-rank fusion (Cormack et al. 2009): <c>n_leg(d) = 1 / (k + rank_leg(d))</c>, ranks from 1,
    /// <c>k = </c><see cref="FusionOptions.RrfK"/>. Uses ranks only, so legs need no comparable scores; a deep rank
    /// in a weak leg still adds a little, which is why RRF can fall below its best leg when legs differ a lot in
    /// quality (Bruch et al. 2023).
    /// </summary>
    ReciprocalRank = 0,

    /// <summary>
    /// Min-max normalisation over the leg's window: <c>n_leg(d) = (s − min) / (max − min)</c>. When
    /// <c>max == min</c> (including a single hit) every hit gets 1: the leg still says "these matched", and giving
    /// 0 would silently drop a leg that found exactly one record. Its weakness is that a weak leg's best hit gets 1
    /// however poor its raw score is (see <see cref="TheoreticalMinMax"/>).
    /// </summary>
    MinMax = 1,

    /// <summary>
    /// Z-score normalisation over the leg's window, shifted so the window's lowest hit is 0:
    /// <c>n_leg(d) = z(d) − z_min = (s − min) / σ</c>, with <c>σ</c> the population standard deviation of the
    /// window; <c>σ == 0</c> gives every hit 0. Why shift: a record absent from a leg's window ranked below every
    /// hit in it, so it must not score higher than the window's lowest hit; plain <c>z</c> with 0 for absent would
    /// put an absent record (z = 0, "average") above present hits with negative z. Shifting a leg by a constant
    /// does not change the order, keeps contributions non-negative and lets them sum to the fused score.
    /// Dividing by σ instead of the range makes a single outlier matter less than in <see cref="MinMax"/>.
    /// </summary>
    ZScore = 2,

    /// <summary>
    /// Theoretical-min-max normalisation (TMM, Bruch et al. 2023, "An Analysis of Fusion Functions for Hybrid
    /// Retrieval"): <c>n_leg(d) = (s − m) / (max − m)</c>, with <c>m</c> the leg's
    /// <see cref="RankedLeg.TheoreticalMinScore"/> (0 for BM25, −1 or 0 for cosine) and <c>max</c> the window's best
    /// score; when <c>max == m</c> every hit gets 0 (all sit at the floor). Unlike <see cref="MinMax"/>, a leg whose
    /// hits all score alike spreads them over a narrow band near 1 instead of stretching them to [0, 1], so a weak,
    /// undiscriminating leg cannot reorder a strong one. With weights <c>α</c> and <c>1 − α</c> this is the paper's
    /// convex combination TM2C2. Every leg must state its theoretical minimum.
    /// </summary>
    TheoreticalMinMax = 3,

    /// <summary>
    /// Bounded-score normalisation: <c>n_leg(d) = clamp((s − lo) / (hi − lo), 0, 1)</c> with the leg's own score
    /// bounds — <see cref="RankedLeg.TheoreticalMinScore"/> as <c>lo</c> and <see cref="RankedLeg.TheoreticalMaxScore"/>
    /// as <c>hi</c> (for BM25, the score of a document holding every query term once; for cosine, similarity 0 to 1; scores above it count as 1). Nothing is
    /// stretched to the window: a leg whose best hit is weak in absolute terms (few query terms matched, a low
    /// cosine) contributes little, so a weak leg cannot drag a strong one down the way <see cref="MinMax"/> (which
    /// gives every leg's best hit 1) lets it. Every leg must state both bounds.
    /// </summary>
    BoundedScore = 4,
}
