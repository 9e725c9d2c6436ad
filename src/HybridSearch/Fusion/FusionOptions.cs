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
}
