using HybridSearch.Fusion;

namespace HybridSearch.Querying;

/// <summary>
/// Immutable settings of one hybrid search: paging, how deep each leg looks, how legs are weighted, filtered and
/// fused, and whether explanations are computed. Set them with an object initializer or a <c>with</c> expression:
/// every setting is checked when set (also in <c>with</c>), so an instance always holds valid settings. The
/// <c>WithX</c> methods that remain are shorthands for one entry of a per-leg setting or for settings that go
/// together (the page, the fusion method and its constant); they assign through the same checks.
/// </summary>
/// <remarks>
/// <para><b>Windows and stable pagination.</b> Each leg returns its best <c>window</c> records, where
/// <c>window = max(CandidateWindow (or the leg's own), Offset + PageSize)</c>; the fused list is built from those
/// windows and the page is cut from it. As long as <c>Offset + PageSize</c> does not exceed the configured window,
/// every page of a query is fused from the same windows, so page 2 is exactly ranks 11–20 of the list page 1 came
/// from. A page beyond the configured window deepens the windows for that request (it is still correct for that
/// deeper list, but may reorder earlier ranks slightly): raise <see cref="CandidateWindow"/> to paginate deeper
/// stably.</para>
/// <para><b>Default fusion.</b> <see cref="FusionOptions.Default"/> documents the default fusion and why.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = HybridSearchOptions.Default
///     .WithPage(offset: 10, pageSize: 10)
///     .WithWeight(SearchLeg.Visual, 2)
///     .WithFusion(FusionMethod.ReciprocalRank, rrfK: 60) with { Explain = true, CandidateWindow = 200 };
/// </code>
/// </example>
public sealed record HybridSearchOptions
{
    /// <summary>Largest <see cref="Offset"/>: with <see cref="MaxPageSize"/> it keeps <c>Offset + PageSize</c>, the
    /// depth every leg must reach, within <see cref="int.MaxValue"/> whatever the two are set to.</summary>
    public const int MaxOffset = (int.MaxValue / 2) - 1;

    /// <summary>Largest <see cref="PageSize"/> (see <see cref="MaxOffset"/>).</summary>
    public const int MaxPageSize = (int.MaxValue / 2) + 1;

    /// <summary>
    /// The defaults: page of 10 from offset 0, candidate window 100 per leg, every leg weight 1, no minimum scores,
    /// fusion <see cref="FusionOptions.Default"/>, snippets on, explanations off.
    /// </summary>
    public static HybridSearchOptions Default { get; } = new();

    /// <summary>Number of fused hits returned: in [1, <see cref="MaxPageSize"/>], default 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int PageSize
    {
        get;
        init => field = value is >= 1 and <= MaxPageSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PageSize), value, $"PageSize must be between 1 and {MaxPageSize}.");
    } = 10;

    /// <summary>Number of fused hits skipped before the page: in [0, <see cref="MaxOffset"/>], default 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Offset
    {
        get;
        init => field = value is >= 0 and <= MaxOffset
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Offset), value, $"Offset must be between 0 and {MaxOffset}.");
    }

    /// <summary>How many records each leg contributes to fusion unless the leg has its own window (at least the page
    /// end): 1 or more, default 100.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int CandidateWindow
    {
        get;
        init => field = CheckWindow(value, nameof(CandidateWindow));
    } = 100;

    /// <summary>Per-leg candidate windows overriding <see cref="CandidateWindow"/> (each 1 or more); a copy of the
    /// dictionary given is kept.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A key is not a defined leg or a window is less than 1.</exception>
    public IReadOnlyDictionary<SearchLeg, int> LegWindows
    {
        get;
        init => field = CopyPerLeg(value, nameof(LegWindows), static (leg, window) => CheckWindow(window, $"{nameof(LegWindows)}[{leg}]"));
    } = new Dictionary<SearchLeg, int>();

    /// <summary>Per-leg weights (default 1; each finite and &gt;= 0). A weight of 0 keeps the leg in explanations
    /// without letting it count. A copy of the dictionary given is kept.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A key is not a defined leg or a weight is negative, NaN or infinite.</exception>
    public IReadOnlyDictionary<SearchLeg, float> Weights
    {
        get;
        init => field = CopyPerLeg(value, nameof(Weights), static (leg, weight) => float.IsFinite(weight) && weight >= 0
            ? weight
            : throw new ArgumentOutOfRangeException($"{nameof(Weights)}[{leg}]", weight, $"Weight of leg {leg} must be a finite number >= 0."));
    } = new Dictionary<SearchLeg, float>();

    /// <summary>Per-leg minimum raw scores (BM25 score, or kNN score (1 + cos) / 2; any number but NaN): a leg's hits
    /// below it are dropped before fusion. A copy of the dictionary given is kept.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A key is not a defined leg or a minimum is NaN.</exception>
    public IReadOnlyDictionary<SearchLeg, float> MinScores
    {
        get;
        init => field = CopyPerLeg(value, nameof(MinScores), static (leg, min) => !float.IsNaN(min)
            ? min
            : throw new ArgumentOutOfRangeException($"{nameof(MinScores)}[{leg}]", min, $"Minimum score of leg {leg} must not be NaN."));
    } = new Dictionary<SearchLeg, float>();

    /// <summary>The legs allowed to run (at least one; those the query has input for run), or null (the default) for
    /// every leg the query has input for. A copy of the set given is kept.</summary>
    /// <exception cref="ArgumentException">The set is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A leg is not defined.</exception>
    public IReadOnlySet<SearchLeg>? Legs
    {
        get;
        init => field = value is null ? null : CopyLegs(value);
    }

    /// <summary>The fusion method and its settings (default <see cref="FusionOptions.Default"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public FusionOptions Fusion
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Fusion));
    } = FusionOptions.Default;

    /// <summary>How the visual leg combines several query images (default <see cref="MultiImageCombination.Max"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined combination.</exception>
    public MultiImageCombination ImageCombination
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ImageCombination), value, "ImageCombination must be a defined MultiImageCombination.");
    } = MultiImageCombination.Max;

    /// <summary>Beam width of the kNN legs' graph search (1 or more), or null (the default) for the query's default
    /// (max(k, 64)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? KnnEf
    {
        get;
        init => field = value is null or >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(KnnEf), value, "KnnEf must be 1 or more (or null for the query's default).");
    }

    /// <summary>Whether each hit carries a highlighted snippet (default true).</summary>
    public bool Snippets { get; init; } = true;

    /// <summary>Whether hits carry the record's title, metadata, best media and snippet (which cost a stored-document
    /// read per hit); default true. Off is for bulk export of ids and scores, e.g. evaluation runs of 1,000 hits per
    /// query.</summary>
    public bool HitDetails { get; init; } = true;

    /// <summary>Whether each hit of a BM25 leg carries Lucene's score explanation (default false).</summary>
    public bool Explain { get; init; }

    /// <summary>Whether a fusion profile stored in the index (<see cref="Indexing.HybridIndex.FusionProfileJson"/>, fitted by
    /// <c>hybridsearch tune</c>) replaces this instance's fusion, weights and minimum scores; true unless set. False
    /// fuses with exactly these options.</summary>
    public bool UseIndexProfile { get; init; } = true;

    /// <summary>Shorthand for setting the page (<see cref="Offset"/> and <see cref="PageSize"/> together); each is
    /// checked by its own setter.</summary>
    /// <returns>A new instance.</returns>
    public HybridSearchOptions WithPage(int offset, int pageSize) => this with { Offset = offset, PageSize = pageSize };

    /// <summary>Shorthand for setting one leg's entry of <see cref="LegWindows"/>; checked by its setter.</summary>
    /// <returns>A new instance.</returns>
    public HybridSearchOptions WithCandidateWindow(SearchLeg leg, int window) =>
        this with { LegWindows = new Dictionary<SearchLeg, int>(LegWindows) { [leg] = window } };

    /// <summary>Shorthand for setting one leg's entry of <see cref="Weights"/>; checked by its setter.</summary>
    /// <returns>A new instance.</returns>
    public HybridSearchOptions WithWeight(SearchLeg leg, float weight) =>
        this with { Weights = new Dictionary<SearchLeg, float>(Weights) { [leg] = weight } };

    /// <summary>Shorthand for setting one leg's entry of <see cref="MinScores"/>; checked by its setter.</summary>
    /// <returns>A new instance.</returns>
    public HybridSearchOptions WithMinScore(SearchLeg leg, float minScore) =>
        this with { MinScores = new Dictionary<SearchLeg, float>(MinScores) { [leg] = minScore } };

    /// <summary>Shorthand for setting <see cref="Legs"/> from a list; checked by its setter.</summary>
    /// <returns>A new instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="legs"/> is null.</exception>
    public HybridSearchOptions WithLegs(params SearchLeg[] legs)
    {
        ArgumentNullException.ThrowIfNull(legs);
        return this with { Legs = new HashSet<SearchLeg>(legs) };
    }

    /// <summary>Shorthand for setting the fusion method and its RRF constant k (used by reciprocal-rank fusion only)
    /// together; the other fusion settings are kept, and <see cref="FusionOptions"/> checks both.</summary>
    /// <returns>A new instance.</returns>
    public HybridSearchOptions WithFusion(FusionMethod method, double rrfK = FusionOptions.DefaultRrfK) =>
        this with { Fusion = Fusion with { Method = method, RrfK = rrfK } };

    /// <summary>Fusion, weights and minimum scores from <paramref name="profile"/> (legs it does not name keep theirs;
    /// names that are no <see cref="SearchLeg"/> are ignored).</summary>
    /// <param name="profile">A fitted profile, e.g. from <see cref="FusionTuner"/>.</param>
    /// <returns>A new instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is null.</exception>
    public HybridSearchOptions WithFusionProfile(FusionProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var weights = new Dictionary<SearchLeg, float>(Weights);
        var minScores = new Dictionary<SearchLeg, float>(MinScores);
        foreach (var (name, weight) in profile.Weights)
        {
            if (Enum.TryParse<SearchLeg>(name, ignoreCase: false, out var leg) && Enum.IsDefined(leg))
            {
                weights[leg] = weight;
            }
        }

        foreach (var (name, min) in profile.MinScores)
        {
            if (Enum.TryParse<SearchLeg>(name, ignoreCase: false, out var leg) && Enum.IsDefined(leg))
            {
                minScores[leg] = min;
            }
        }

        return this with { Fusion = profile.Fusion, Weights = weights, MinScores = minScores };
    }

    /// <summary>The window leg <paramref name="leg"/> uses for these options: max(its configured window, offset + page size).</summary>
    public int WindowOf(SearchLeg leg) =>
        Math.Max(LegWindows.TryGetValue(leg, out var own) ? own : CandidateWindow, FusionWindow.Required(Offset, PageSize));

    /// <summary>The weight of <paramref name="leg"/> (1 unless set).</summary>
    public float WeightOf(SearchLeg leg) => Weights.TryGetValue(leg, out var w) ? w : 1f;

    /// <summary>Whether <paramref name="leg"/> may run.</summary>
    public bool Allows(SearchLeg leg) => Legs is null || Legs.Contains(leg);

    private static int CheckWindow(int window, string name) =>
        window >= 1 ? window : throw new ArgumentOutOfRangeException(name, window, $"{name} must be 1 or more.");

    private static void CheckLeg(SearchLeg leg, string name)
    {
        if (!Enum.IsDefined(leg))
        {
            throw new ArgumentOutOfRangeException(name, leg, $"{name} names {leg}, which is not a defined search leg.");
        }
    }

    private static Dictionary<SearchLeg, T> CopyPerLeg<T>(IReadOnlyDictionary<SearchLeg, T> value, string name, Func<SearchLeg, T, T> check)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        var copy = new Dictionary<SearchLeg, T>(value.Count);
        foreach (var (leg, entry) in value)
        {
            CheckLeg(leg, name);
            copy[leg] = check(leg, entry);
        }

        return copy;
    }

    private static HashSet<SearchLeg> CopyLegs(IReadOnlySet<SearchLeg> legs)
    {
        if (legs.Count == 0)
        {
            throw new ArgumentException("Legs must allow at least one leg (or be null for every leg).", nameof(Legs));
        }

        foreach (var leg in legs)
        {
            CheckLeg(leg, nameof(Legs));
        }

        return new HashSet<SearchLeg>(legs);
    }
}
