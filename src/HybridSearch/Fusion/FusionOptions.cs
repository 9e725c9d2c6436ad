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
}
