namespace HybridSearch.Fusion;

/// <summary>Immutable, validated settings of <see cref="ScoreFusion.Fuse"/>. Every setting is checked when set, including in <c>with</c> expressions.</summary>
/// <example>
/// <code>
/// var rrf = FusionOptions.Default;                                   // reciprocal rank, k = 60
/// var tuned = FusionOptions.Default with { RrfK = 20 };
/// var minMax = new FusionOptions { Method = FusionMethod.MinMax };
/// </code>
/// </example>
public sealed record FusionOptions
{
    /// <summary>The constant <c>k</c> of reciprocal-rank fusion used by <see cref="Default"/>, from Cormack et al. 2009.</summary>
    public const double DefaultRrfK = 60;

    /// <summary>Reciprocal-rank fusion with <c>k = 60</c>.</summary>
    public static FusionOptions Default { get; } = new();

    /// <summary>How legs are fused; <see cref="FusionMethod.ReciprocalRank"/> unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="FusionMethod"/>.</exception>
    public FusionMethod Method
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Method), value, "Not a defined fusion method.");
    } = FusionMethod.ReciprocalRank;

    /// <summary>
    /// The constant <c>k</c> in <c>1 / (k + rank)</c> of <see cref="FusionMethod.ReciprocalRank"/>: larger values
    /// flatten the difference between top and lower ranks. Ignored by the other methods.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double RrfK
    {
        get;
        init => field = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RrfK), value, "RRF constant k must be a finite number >= 0.");
    } = DefaultRrfK;

    /// <summary>
    /// Whether each leg's weight is scaled, per query, by how far the other legs bear out its evidence (off unless
    /// set; <see cref="HybridSearch.Querying.HybridSearchOptions"/> turns it on). Used by
    /// <see cref="FusionMethod.BoundedScore"/> only, whose values are comparable across legs; ignored by the other
    /// methods. Only legs with a <see cref="RankedLeg.QueryInput"/> take part. Two rules, each a multiplier in (0, 1]:
    /// a leg answering one query input (the image) that shares no record with legs answering another input (the text)
    /// which agree among themselves is outvoted; a leg less sure than a rival reading the same content for the same
    /// input, and sharing none of its records, is damped. Legs that agree keep their weights. The multiplier a leg
    /// counted with is reported in <see cref="LegContribution.Weight"/>.
    /// </summary>
    /// <remarks>
    /// Why: a weak leg must not drag a strong one down. Bounded scores already keep a leg whose hits barely beat an
    /// unrelated document small; what they cannot see is a leg that is confidently about something else — a query
    /// photo of one product next to words describing another, or a text embedding that places an off-topic phrase near
    /// a few documents. Agreement between independent legs is the only per-query evidence of which leg the user meant.
    /// The exact formulas are in the documentation of <c>LegCorroboration</c> in the source and in the README.
    /// </remarks>
    public bool Corroboration { get; init; }

    /// <summary>
    /// Whether a leg that cannot tell its best records apart narrows the other legs instead of ranking on its own (off
    /// unless set; <see cref="HybridSearch.Querying.HybridSearchOptions"/> turns it on). Used by
    /// <see cref="FusionMethod.BoundedScore"/> only. Per query, each leg gets a discrimination
    /// <c>d_l = min(1, TopGap_l / DiscriminationGap)</c> with <c>TopGap = (e_1 − e_k) / e_1</c> over its first
    /// <c>k</c> = <see cref="SignalDepth"/> evidence values, and a ranking share <c>ρ_l = d_l / max_j d_j</c>. With
    /// <c>w_l</c> the leg's weight (after corroboration), <c>n_l</c> its bounded value, <c>e_l(d) / e_l(1)</c> a record's
    /// share of the leg's best evidence and <c>B_l(d) = Σ_{j≠l} w_j ρ_j n_j(d)</c> what the other legs rank it at:
    /// <code>contribution_l(d) = w_l · [ ρ_l · n_l(d) + (1 − ρ_l) · NarrowingBoost · (e_l(d) / e_l(1)) · B_l(d) ]</code>
    /// A broad word next to an image (dozens of reports matching it about equally) then lifts the image's candidates it
    /// also holds, by up to <see cref="NarrowingBoost"/>, instead of ranking its dozens of ties above them. In the
    /// outvoted-input rule of <see cref="Corroboration"/>, the agreement of two legs counts times the smaller of their
    /// discriminations: two flat legs agreeing on generic records are no evidence against a third.
    /// <see cref="LegSignal"/> reports every signal and the weights.
    /// </summary>
    public bool Discrimination { get; init; }

    /// <summary>
    /// The <c>TopGap</c> at which a leg counts as fully discriminating (<see cref="Discrimination"/>); default 0.5
    /// (measured, see the README's fusion section). In (0, 1].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1].</exception>
    public double DiscriminationGap
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(DiscriminationGap), value, "DiscriminationGap must be in (0, 1].");
    } = DefaultDiscriminationGap;

    /// <summary>Default of <see cref="DiscriminationGap"/>.</summary>
    public const double DefaultDiscriminationGap = 0.5;

    /// <summary>
    /// How much a non-discriminating leg can lift a record the other legs rank (<see cref="Discrimination"/>): its
    /// contribution is at most this share of what the other legs give the record. Default 0.5; in [0, 10].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 10].</exception>
    public double NarrowingBoost
    {
        get;
        init => field = value is >= 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(NarrowingBoost), value, "NarrowingBoost must be in [0, 10].");
    } = DefaultNarrowingBoost;

    /// <summary>Default of <see cref="NarrowingBoost"/>.</summary>
    public const double DefaultNarrowingBoost = 0.5;

    /// <summary>How many of a leg's best hits its signals look at (<c>k</c> of <see cref="LegSignal"/>); default 10, in [2, 1000].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [2, 1000].</exception>
    public int SignalDepth
    {
        get;
        init => field = value is >= 2 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(SignalDepth), value, "SignalDepth must be in [2, 1000].");
    } = 10;

    /// <summary>Relative margin of <see cref="LegSignal.NearTies"/> (reported, not used by the weights); default 0.1, in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 1).</exception>
    public double TieMargin
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(TieMargin), value, "TieMargin must be in [0, 1).");
    } = 0.1;
}
