using HybridSearch.Fusion;

namespace HybridSearch.Querying;

/// <summary>
/// Immutable settings of one hybrid search: paging, how deep each leg looks, how legs are weighted, filtered and
/// fused, and whether explanations are computed. Build with the <c>WithX</c> methods; each returns a new instance and
/// validates its argument.
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
///     .WithFusion(FusionMethod.ReciprocalRank, rrfK: 60)
///     .WithExplanations();
/// </code>
/// </example>
public sealed record HybridSearchOptions
{
    private HybridSearchOptions()
    {
    }

    /// <summary>
    /// The defaults: page of 10 from offset 0, candidate window 100 per leg, every leg weight 1, no minimum scores,
    /// fusion <see cref="FusionOptions.Default"/>, snippets on, explanations off.
    /// </summary>
    public static HybridSearchOptions Default { get; } = new();

    /// <summary>Number of fused hits returned.</summary>
    public int PageSize { get; private init; } = 10;

    /// <summary>Number of fused hits skipped before the page.</summary>
    public int Offset { get; private init; }

    /// <summary>How many records each leg contributes to fusion unless the leg has its own window (at least the page end).</summary>
    public int CandidateWindow { get; private init; } = 100;

    /// <summary>Per-leg candidate windows overriding <see cref="CandidateWindow"/>.</summary>
    public IReadOnlyDictionary<SearchLeg, int> LegWindows { get; private init; } = new Dictionary<SearchLeg, int>();

    /// <summary>Per-leg weights (default 1). A weight of 0 keeps the leg in explanations without letting it count.</summary>
    public IReadOnlyDictionary<SearchLeg, float> Weights { get; private init; } = new Dictionary<SearchLeg, float>();

    /// <summary>Per-leg minimum raw scores: a leg's hits below it are dropped before fusion.</summary>
    public IReadOnlyDictionary<SearchLeg, float> MinScores { get; private init; } = new Dictionary<SearchLeg, float>();

    /// <summary>The legs allowed to run, or null for every leg the query has input for.</summary>
    public IReadOnlySet<SearchLeg>? Legs { get; private init; }

    /// <summary>The fusion method and its settings (default <see cref="FusionOptions.Default"/>).</summary>
    public FusionOptions Fusion { get; private init; } = FusionOptions.Default;

    /// <summary>How the visual leg combines several query images.</summary>
    public MultiImageCombination ImageCombination { get; private init; } = MultiImageCombination.Max;

    /// <summary>Beam width of the kNN legs' graph search, or null for the query's default (max(k, 64)).</summary>
    public int? KnnEf { get; private init; }

    /// <summary>Whether each hit carries a highlighted snippet.</summary>
    public bool Snippets { get; private init; } = true;

    /// <summary>Whether hits carry the record's title, metadata, best media and snippet (which cost a stored-document
    /// read per hit). Off is for bulk export of ids and scores, e.g. evaluation runs of 1,000 hits per query.</summary>
    public bool HitDetails { get; private init; } = true;

    /// <summary>Whether each hit of a BM25 leg carries Lucene's score explanation.</summary>
    public bool Explain { get; private init; }

    /// <summary>Returns options with this page.</summary>
    public HybridSearchOptions WithPage(int offset, int pageSize)
    {
        _ = FusionWindow.Required(offset, pageSize);
        return this with { Offset = offset, PageSize = pageSize };
    }

    /// <summary>Returns options with this candidate window for every leg without its own.</summary>
    public HybridSearchOptions WithCandidateWindow(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        return this with { CandidateWindow = window };
    }

    /// <summary>Returns options with this candidate window for one leg.</summary>
    public HybridSearchOptions WithCandidateWindow(SearchLeg leg, int window)
    {
        CheckLeg(leg);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        return this with { LegWindows = new Dictionary<SearchLeg, int>(LegWindows) { [leg] = window } };
    }

    /// <summary>Returns options with this weight for one leg (finite, &gt;= 0).</summary>
    public HybridSearchOptions WithWeight(SearchLeg leg, float weight)
    {
        CheckLeg(leg);
        if (!float.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"Weight of leg {leg} must be a finite number >= 0.");
        }

        return this with { Weights = new Dictionary<SearchLeg, float>(Weights) { [leg] = weight } };
    }

    /// <summary>Returns options with a minimum raw score for one leg (BM25 score, or kNN score (1 + cos) / 2).</summary>
    public HybridSearchOptions WithMinScore(SearchLeg leg, float minScore)
    {
        CheckLeg(leg);
        if (float.IsNaN(minScore))
        {
            throw new ArgumentOutOfRangeException(nameof(minScore), minScore, $"Minimum score of leg {leg} must not be NaN.");
        }

        return this with { MinScores = new Dictionary<SearchLeg, float>(MinScores) { [leg] = minScore } };
    }

    /// <summary>Returns options that run only these legs (those the query has input for).</summary>
    public HybridSearchOptions WithLegs(params SearchLeg[] legs)
    {
        ArgumentNullException.ThrowIfNull(legs);
        if (legs.Length == 0)
        {
            throw new ArgumentException("At least one leg must be allowed.", nameof(legs));
        }

        foreach (var leg in legs)
        {
            CheckLeg(leg);
        }

        return this with { Legs = new HashSet<SearchLeg>(legs) };
    }

    /// <summary>Returns options with this fusion method (and RRF constant k, used by reciprocal-rank fusion only);
    /// the corroboration setting is kept.</summary>
    public HybridSearchOptions WithFusion(FusionMethod method, double rrfK = FusionOptions.DefaultRrfK) =>
        this with { Fusion = Fusion with { Method = method, RrfK = rrfK } };

    /// <summary>Returns options with per-query corroboration weighting of the legs on or off (on by default; used by
    /// <see cref="FusionMethod.BoundedScore"/> only, see <see cref="FusionOptions.Corroboration"/>). Off fuses with
    /// the configured weights exactly.</summary>
    public HybridSearchOptions WithCorroboration(bool corroboration = true) =>
        this with { Fusion = Fusion with { Corroboration = corroboration } };

    /// <summary>Returns options with this rule for several query images.</summary>
    public HybridSearchOptions WithImageCombination(MultiImageCombination combination)
    {
        if (!Enum.IsDefined(combination))
        {
            throw new ArgumentOutOfRangeException(nameof(combination), combination, "Not a defined combination.");
        }

        return this with { ImageCombination = combination };
    }

    /// <summary>Returns options with this kNN beam width.</summary>
    public HybridSearchOptions WithKnnEf(int ef)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ef, 1);
        return this with { KnnEf = ef };
    }

    /// <summary>Returns options with Lucene explanations of the BM25 legs on or off.</summary>
    public HybridSearchOptions WithExplanations(bool explain = true) => this with { Explain = explain };

    /// <summary>Whether a fusion profile stored in the index (<see cref="Indexing.HybridIndex.FusionProfileJson"/>, fitted by
    /// <c>hybridsearch tune</c>) replaces this instance's fusion, weights and minimum scores; true unless set.</summary>
    public bool UseIndexProfile { get; private init; } = true;

    /// <summary>Uses (the default) or ignores the index's stored fusion profile.</summary>
    /// <param name="use">False to fuse with exactly these options.</param>
    /// <returns>A new instance.</returns>
    public HybridSearchOptions WithIndexProfile(bool use = true) => this with { UseIndexProfile = use };

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

    /// <summary>Returns options with hit details (title, metadata, media, snippet) on or off.</summary>
    public HybridSearchOptions WithHitDetails(bool details = true) => this with { HitDetails = details };

    /// <summary>Returns options with snippets on or off.</summary>
    public HybridSearchOptions WithSnippets(bool snippets = true) => this with { Snippets = snippets };

    /// <summary>The window leg <paramref name="leg"/> uses for these options: max(its configured window, offset + page size).</summary>
    public int WindowOf(SearchLeg leg) =>
        Math.Max(LegWindows.TryGetValue(leg, out var own) ? own : CandidateWindow, FusionWindow.Required(Offset, PageSize));

    /// <summary>The weight of <paramref name="leg"/> (1 unless set).</summary>
    public float WeightOf(SearchLeg leg) => Weights.TryGetValue(leg, out var w) ? w : 1f;

    /// <summary>Whether <paramref name="leg"/> may run.</summary>
    public bool Allows(SearchLeg leg) => Legs is null || Legs.Contains(leg);

    private static void CheckLeg(SearchLeg leg)
    {
        if (!Enum.IsDefined(leg))
        {
            throw new ArgumentOutOfRangeException(nameof(leg), leg, "Not a defined search leg.");
        }
    }
}
