using System.Globalization;
using HybridSearch.Cli.Output;
using HybridSearch.Fusion;
using HybridSearch.Querying;

namespace HybridSearch.Cli.Querying;

/// <summary>
/// How the command line tunes fusion: method, RRF constant, corroboration, abstention, deferral, candidate window, per-leg weights and
/// minimum scores. The defaults are the library's (<see cref="HybridSearchOptions.Default"/>).
/// </summary>
internal sealed record FusionTuning
{
    /// <summary>The names <c>--fusion</c> takes, and the method each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, FusionMethod> Methods = new Dictionary<string, FusionMethod>(StringComparer.Ordinal)
    {
        ["bounded"] = FusionMethod.BoundedScore,
        ["rrf"] = FusionMethod.ReciprocalRank,
        ["minmax"] = FusionMethod.MinMax,
        ["zscore"] = FusionMethod.ZScore,
        ["tmm"] = FusionMethod.TheoreticalMinMax,
    };

    /// <summary>The library's defaults.</summary>
    public static FusionTuning Default { get; } = new();

    /// <summary>The fusion method.</summary>
    public FusionMethod Method { get; init; } = FusionOptions.Default.Method;

    /// <summary>k of reciprocal-rank fusion.</summary>
    public double RrfK { get; init; } = FusionOptions.DefaultRrfK;

    /// <summary>Whether legs are weighed by corroboration (bounded fusion only).</summary>
    public bool Corroboration { get; init; } = FusionOptions.Default.Corroboration;

    /// <summary>Whether BM25 abstains on records its MiniLM rival finds and it does not match (bounded fusion only).</summary>
    public bool Abstention { get; init; } = FusionOptions.Default.Abstention;

    /// <summary>Whether BM25 gives its weight to its MiniLM rival when the query is a sentence as long as the short records
    /// it searches (bounded fusion only).</summary>
    public bool Deferral { get; init; } = FusionOptions.Default.Deferral;

    /// <summary>Candidate window per leg, or null for the library's.</summary>
    public int? Window { get; init; }

    /// <summary>Per-leg weights.</summary>
    public IReadOnlyDictionary<SearchLeg, float> Weights { get; init; } = new Dictionary<SearchLeg, float>();

    /// <summary>Per-leg minimum raw scores.</summary>
    public IReadOnlyDictionary<SearchLeg, float> MinScores { get; init; } = new Dictionary<SearchLeg, float>();

    /// <summary>Whether the index's stored fusion profile (from <c>tune</c>) is used; false with <c>--profile default</c>
    /// or when a fusion option is given on the command line.</summary>
    public bool UseIndexProfile { get; init; } = true;

    /// <summary>The search options with this tuning applied.</summary>
    public HybridSearchOptions Apply(HybridSearchOptions options)
    {
        options = options with { Fusion = options.Fusion with { Method = Method, RrfK = RrfK, Corroboration = Corroboration, Abstention = Abstention, Deferral = Deferral }, UseIndexProfile = UseIndexProfile };
        if (Window is int window)
        {
            options = options with { CandidateWindow = window };
        }

        foreach (var (leg, weight) in Weights)
        {
            options = options.WithWeight(leg, weight);
        }

        foreach (var (leg, minScore) in MinScores)
        {
            options = options.WithMinScore(leg, minScore);
        }

        return options;
    }

    /// <summary>Parses <c>LEG=NUMBER</c> (leg names as in the output: lexical, semantic_text, visual, transcript).</summary>
    /// <exception cref="CliUserException">Not of that form, an unknown leg, or not a finite number (or below 0 when <paramref name="nonNegative"/>).</exception>
    public static (SearchLeg Leg, float Value) ParseLegValue(string option, string expression, bool nonNegative)
    {
        var parts = expression.Split('=', 2, StringSplitOptions.TrimEntries);
        var legs = Enum.GetValues<SearchLeg>().ToDictionary(LegNames.Of, leg => leg, StringComparer.Ordinal);
        if (parts.Length != 2 || parts[0].Length == 0)
        {
            throw new CliUserException($"{option} '{expression}': expected LEG=NUMBER with LEG one of {string.Join(", ", legs.Keys)}.");
        }

        if (!legs.TryGetValue(parts[0], out var leg))
        {
            throw new CliUserException($"{option} '{expression}': no leg '{parts[0]}'; legs are {string.Join(", ", legs.Keys)}.");
        }

        if (!float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value) || (nonNegative && value < 0))
        {
            throw new CliUserException($"{option} '{expression}': '{parts[1]}' is not a {(nonNegative ? "finite number >= 0" : "finite number")}.");
        }

        return (leg, value);
    }
}
