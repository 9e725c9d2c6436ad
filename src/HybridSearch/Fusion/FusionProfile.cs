using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridSearch.Fusion;

/// <summary>
/// A fitted fusion: the method and its settings, plus per-leg weights and minimum scores keyed by leg name (the
/// searcher's leg names: <c>Lexical</c>, <c>SemanticText</c>, <c>Visual</c>, <c>Transcript</c>). What
/// <see cref="FusionTuner"/> produces and an index stores; immutable.
/// </summary>
/// <example>
/// <code>
/// var profile = FusionProfile.FromJson("""{"method":"bounded","weights":{"Visual":2}}""");
/// var legs = profile.Apply(rankedLegs);              // weights and minimum scores set on the legs
/// var fused = ScoreFusion.Fuse(legs, profile.Fusion);
/// </code>
/// </example>
public sealed record FusionProfile
{
    private static readonly Dictionary<string, FusionMethod> MethodNames = new(StringComparer.Ordinal)
    {
        ["bounded"] = FusionMethod.BoundedScore,
        ["rrf"] = FusionMethod.ReciprocalRank,
        ["minmax"] = FusionMethod.MinMax,
        ["zscore"] = FusionMethod.ZScore,
        ["tmm"] = FusionMethod.TheoreticalMinMax,
    };

    /// <summary>Creates a profile.</summary>
    /// <param name="fusion">The fusion method and settings.</param>
    /// <param name="weights">Per-leg weights (legs not named keep their own); each finite and &gt;= 0.</param>
    /// <param name="minScores">Per-leg minimum raw scores (legs not named keep their own); each not NaN.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or a minimum score is NaN.</exception>
    public FusionProfile(FusionOptions fusion, IReadOnlyDictionary<string, float> weights, IReadOnlyDictionary<string, float> minScores)
    {
        ArgumentNullException.ThrowIfNull(fusion);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(minScores);
        foreach (var (leg, weight) in weights)
        {
            if (!float.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), weight, $"Weight of leg '{leg}' must be a finite number >= 0.");
            }
        }

        foreach (var (leg, min) in minScores)
        {
            if (float.IsNaN(min))
            {
                throw new ArgumentOutOfRangeException(nameof(minScores), min, $"Minimum score of leg '{leg}' must not be NaN.");
            }
        }

        Fusion = fusion;
        Weights = new SortedDictionary<string, float>(weights.ToDictionary(), StringComparer.Ordinal);
        MinScores = new SortedDictionary<string, float>(minScores.ToDictionary(), StringComparer.Ordinal);
    }

    /// <summary>The fusion method and settings.</summary>
    public FusionOptions Fusion { get; }

    /// <summary>Per-leg weights, by leg name.</summary>
    public IReadOnlyDictionary<string, float> Weights { get; }

    /// <summary>Per-leg minimum raw scores, by leg name.</summary>
    public IReadOnlyDictionary<string, float> MinScores { get; }

    /// <summary>The legs with this profile's weights and minimum scores where it names them.</summary>
    /// <param name="legs">The legs.</param>
    /// <returns>New legs; the others' settings unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="legs"/> is null.</exception>
    public IReadOnlyList<RankedLeg> Apply(IReadOnlyList<RankedLeg> legs)
    {
        ArgumentNullException.ThrowIfNull(legs);
        return legs.Select(leg => new RankedLeg(
            leg.Name,
            leg.Hits,
            Weights.TryGetValue(leg.Name, out var weight) ? weight : leg.Weight,
            MinScores.TryGetValue(leg.Name, out var min) ? min : leg.MinScore,
            leg.TheoreticalMinScore,
            leg.TheoreticalMaxScore,
            leg.QueryInput,
            leg.SearchedContent,
            leg.MatchesTerms,
            leg.QueryAsLongAsRecords)).ToList();
    }

    /// <summary>The profile as one JSON object: <c>{"method":"bounded","rrf_k":60,"corroboration":true,"discrimination":true,
    /// "abstention":true,"deferral":true,"narrowing_strength":1,"signal_depth":10,"weights":{...},"min_scores":{...}}</c>.</summary>
    public string ToJson() => ToJsonNode().ToJsonString();

    /// <summary>The profile as a JSON object node (see <see cref="ToJson"/>).</summary>
    public JsonObject ToJsonNode()
    {
        var weights = new JsonObject();
        foreach (var (leg, weight) in Weights)
        {
            weights[leg] = Math.Round(weight, 4);
        }

        var mins = new JsonObject();
        foreach (var (leg, min) in MinScores)
        {
            mins[leg] = min;
        }

        return new JsonObject
        {
            ["method"] = MethodNames.First(m => m.Value == Fusion.Method).Key,
            ["rrf_k"] = Fusion.RrfK,
            ["corroboration"] = Fusion.Corroboration,
            ["discrimination"] = Fusion.Discrimination,
            ["abstention"] = Fusion.Abstention,
            ["deferral"] = Fusion.Deferral,
            ["narrowing_strength"] = Fusion.NarrowingStrength,
            ["signal_depth"] = Fusion.SignalDepth,
            ["weights"] = weights,
            ["min_scores"] = mins,
        };
    }

    /// <summary>Reads a profile written by <see cref="ToJson"/>; missing settings take those of
    /// <see cref="FusionOptions.Default"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">Not such an object, or a setting of the wrong type or out of range (the message names it).</exception>
    public static FusionProfile FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a fusion profile must be a JSON object.");
            var defaults = FusionOptions.Default;
            var method = root["method"]?.GetValue<string>();
            var fusion = new FusionOptions
            {
                Method = method is null ? defaults.Method
                    : MethodNames.TryGetValue(method, out var m) ? m : throw new FormatException($"fusion profile: unknown method '{method}' (one of {string.Join(", ", MethodNames.Keys)})."),
                RrfK = root["rrf_k"]?.GetValue<double>() ?? defaults.RrfK,
                Corroboration = root["corroboration"]?.GetValue<bool>() ?? defaults.Corroboration,
                Discrimination = root["discrimination"]?.GetValue<bool>() ?? defaults.Discrimination,
                Abstention = root["abstention"]?.GetValue<bool>() ?? defaults.Abstention,
                Deferral = root["deferral"]?.GetValue<bool>() ?? defaults.Deferral,
                NarrowingStrength = root["narrowing_strength"]?.GetValue<double>() ?? defaults.NarrowingStrength,
                SignalDepth = root["signal_depth"]?.GetValue<int>() ?? defaults.SignalDepth,
            };
            return new FusionProfile(fusion, ReadLegValues(root, "weights"), ReadLegValues(root, "min_scores"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new FormatException($"fusion profile: {e.Message}", e);
        }
    }

    private static Dictionary<string, float> ReadLegValues(JsonObject root, string name)
    {
        var values = new Dictionary<string, float>(StringComparer.Ordinal);
        if (root[name] is JsonObject legs)
        {
            foreach (var (leg, value) in legs)
            {
                values[leg] = value?.GetValue<float>() ?? throw new FormatException($"fusion profile: {name}.{leg} is null.");
            }
        }

        return values;
    }

    /// <summary>The profile as JSON (<see cref="ToJson"/>).</summary>
    public override string ToString() => ToJson();

    /// <summary>Equal when their JSON is equal.</summary>
    public bool Equals(FusionProfile? other) => other is not null && string.Equals(ToJson(), other.ToJson(), StringComparison.Ordinal);

    /// <summary>Hash of the JSON.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());
}
