using System.Collections.ObjectModel;

namespace HybridSearch.Fusion;

/// <summary>
/// Fuses ranked legs into one ranked list of records, explaining every leg's part. Pure functions: no I/O, no
/// state, same input gives the same output.
/// </summary>
/// <remarks>
/// <para>
/// For each leg, <see cref="RankedLeg"/> defines its window (hits at or above its <c>MinScore</c>, first occurrence
/// of each key). Every method of <see cref="FusionMethod"/> gives each hit of a window a normalised value
/// <c>n_leg(d) &gt;= 0</c>, and the fused score is
/// </para>
/// <code>score(d) = Σ_legs w_leg · n_leg(d)      (a leg in which d is absent contributes 0)</code>
/// <para>with, for rank <c>r</c> (from 1) and raw score <c>s</c> of <c>d</c> in the leg's window:</para>
/// <list type="bullet">
/// <item><description>ReciprocalRank: <c>n = 1 / (k + r)</c>, so <c>score(d) = Σ w / (k + r)</c>.</description></item>
/// <item><description>MinMax: <c>n = (s − min) / (max − min)</c>; 1 for every hit when <c>max == min</c>.</description></item>
/// <item><description>ZScore: <c>n = (s − min) / σ</c> (the z-score shifted so the lowest hit is 0); 0 when <c>σ == 0</c>.</description></item>
/// <item><description>TheoreticalMinMax: <c>n = max(0, (s − m) / (max − m))</c> with <c>m</c> the leg's theoretical minimum; 0 when <c>max &lt;= m</c>.</description></item>
/// <item><description>BoundedScore: <c>n = clamp((s − lo) / (hi − lo), 0, 1) + 1e-6 · (W − r + 1) / W</c> with the leg's theoretical minimum and maximum, <c>W</c> the window size (the tiny rank step keeps the leg's order among hits at the floor).</description></item>
/// </list>
/// <para>
/// With <see cref="FusionOptions.Corroboration"/> (bounded scores only), <c>w_leg</c> is the leg's weight times a
/// per-query multiplier in (0, 1] that is below 1 only for a leg the other legs contradict (see
/// <see cref="FusionOptions.Corroboration"/>); <see cref="LegContribution.Weight"/> reports it.
/// </para>
/// <para>
/// With <see cref="FusionOptions.Abstention"/> (bounded scores only), a term-matching leg (BM25) also contributes, to the
/// records its rival holds above the rival's floor and it did not match, its weakest match's evidence
/// (<see cref="LegContribution.Abstained"/>): no shared word is no evidence either way.
/// </para>
/// <para>
/// With <see cref="FusionOptions.Deferral"/> (bounded scores only), a term-matching leg whose query is a sentence as long
/// as the short records it searches (<see cref="RankedLeg.QueryAsLongAsRecords"/>) gives its weight, after
/// corroboration, to its kNN rival (<see cref="LegSignal.DeferredTo"/>); its contributions are then 0.
/// </para>
/// <para>
/// The fused list holds every key of every window, sorted by fused score descending, ties broken by key in
/// ordinal order, ranked from 1. Contributions are added in leg order, so <see cref="FusedHit.Score"/> equals the
/// sum of its <see cref="LegContribution.Contribution"/> values taken in that order.
/// </para>
/// </remarks>
public static class ScoreFusion
{
    /// <summary>Fuses the legs into the full fused list (every key of every leg's window).</summary>
    /// <param name="legs">The legs; their names must be unique (ordinal). An empty list gives an empty result.</param>
    /// <param name="options">The method and its settings, e.g. <see cref="FusionOptions.Default"/> (the library's default) or <see cref="FusionOptions.ReciprocalRank"/>.</param>
    /// <returns>All fused hits, best first, ranked from 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="legs"/>, one of its items, or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// Two legs share a name, or the method is <see cref="FusionMethod.TheoreticalMinMax"/> and a leg has no
    /// <see cref="RankedLeg.TheoreticalMinScore"/>.
    /// </exception>
    /// <example>
    /// <code>
    /// var fused = ScoreFusion.Fuse(
    ///     [new RankedLeg("lexical", [new("a", 12.5f), new("b", 7f)]),
    ///      new RankedLeg("semantic", [new("b", 0.82f), new("c", 0.64f)], weight: 2)],
    ///     FusionOptions.ReciprocalRank);
    /// // b: 1/(60+2) + 2/(60+1) ≈ 0.04892, a: 1/(60+1) ≈ 0.01639, c: 2/(60+2) ≈ 0.03226 → b, c, a
    /// </code>
    /// </example>
    public static IReadOnlyList<FusedHit> Fuse(IReadOnlyList<RankedLeg> legs, FusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(legs);
        ArgumentNullException.ThrowIfNull(options);

        Validate(legs, options);

        var plan = Plan(legs, options);
        var (windows, normalized, evidence, weights) = (plan.Windows, plan.Normalized, plan.Evidence, plan.Weights);
        var narrowing = options.Method == FusionMethod.BoundedScore && options.Discrimination && options.NarrowingStrength > 0;
        var otherInput = narrowing ? OtherInputShares(legs, windows, evidence, weights) : null;
        var abstentions = options.Method == FusionMethod.BoundedScore && options.Abstention ? Abstentions(legs, windows, evidence) : null;

        var byKey = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        for (var l = 0; l < legs.Count; l++)
        {
            var window = windows[l];
            var narrows = otherInput?[l] is not null && plan.Signals[l].Base > 0;
            for (var i = 0; i < window.Count; i++)
            {
                var hit = window[i];
                if (!byKey.TryGetValue(hit.Key, out var accumulator))
                {
                    accumulator = new Accumulator(hit.Key);
                    byKey.Add(hit.Key, accumulator);
                }

                var value = normalized[l][i];
                if (narrows)
                {
                    // The base part of the evidence counts as far as the other input also ranks the record (λ).
                    var shareOfOther = otherInput![l]!.GetValueOrDefault(hit.Key);
                    value -= options.NarrowingStrength * Math.Min(evidence[l][i], plan.Signals[l].Base) * (1 - shareOfOther);
                }

                var contribution = weights[l] * value;
                accumulator.Score += contribution;
                accumulator.Legs.Add(legs[l].Name, new LegContribution(i + 1, hit.Score, value, weights[l], contribution));
            }

            // A leg that deferred (weight 0) credits nothing, so it lists no abstained records either.
            if (abstentions?[l] is { } abstained && weights[l] > 0)
            {
                // Credited the leg's weakest match, narrowed as that match is; no rank step (the rival orders them).
                var credit = evidence[l][^1];
                foreach (var key in abstained)
                {
                    if (!byKey.TryGetValue(key, out var accumulator))
                    {
                        accumulator = new Accumulator(key);
                        byKey.Add(key, accumulator);
                    }

                    var value = credit;
                    if (narrows)
                    {
                        var shareOfOther = otherInput![l]!.GetValueOrDefault(key);
                        value -= options.NarrowingStrength * Math.Min(credit, plan.Signals[l].Base) * (1 - shareOfOther);
                    }

                    var contribution = weights[l] * value;
                    accumulator.Score += contribution;
                    accumulator.Legs.Add(legs[l].Name, new LegContribution(0, window[^1].Score, value, weights[l], contribution, Abstained: true));
                }
            }
        }

        var ordered = byKey.Values.ToList();
        ordered.Sort(static (x, y) =>
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(x.Key, y.Key);
        });

        var fused = new FusedHit[ordered.Count];
        for (var i = 0; i < fused.Length; i++)
        {
            fused[i] = new FusedHit(ordered[i].Key, i + 1, ordered[i].Score, new ReadOnlyDictionary<string, LegContribution>(ordered[i].Legs));
        }

        return fused;
    }

    /// <summary>
    /// What fusion reads from each leg on this query and the weights it gives them (see <see cref="LegSignal"/> and
    /// <see cref="FusionOptions.Discrimination"/>); what <c>--explain</c> shows per leg. Signals are computed for every
    /// method; the bases and corroboration multipliers are those <see cref="Fuse"/> uses (multipliers 1 where the method or
    /// options do not use them).
    /// </summary>
    /// <param name="legs">The legs, as for <see cref="Fuse"/>.</param>
    /// <param name="options">The method and its settings.</param>
    /// <returns>One signal per leg, in leg order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="legs"/>, one of its items, or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fuse"/>.</exception>
    public static IReadOnlyList<LegSignal> Signals(IReadOnlyList<RankedLeg> legs, FusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(legs);
        ArgumentNullException.ThrowIfNull(options);
        Validate(legs, options);
        return Plan(legs, options).Signals;
    }

    /// <summary>Windows, normalised values, evidence, weights (after corroboration) and signals.</summary>
    private static FusionPlan Plan(IReadOnlyList<RankedLeg> legs, FusionOptions options)
    {
        var windows = new List<LegHit>[legs.Count];
        var normalized = new double[legs.Count][];
        var evidence = new double[legs.Count][];
        var signals = new LegSignal[legs.Count];
        for (var l = 0; l < legs.Count; l++)
        {
            windows[l] = legs[l].Window();
            normalized[l] = Normalize(windows[l], legs[l], options, out evidence[l]);
            signals[l] = LegDiscrimination.Measure(legs[l].Name, evidence[l].Length > 0 ? evidence[l] : MinMaxEvidence(windows[l]), options);
        }

        var bounded = options.Method == FusionMethod.BoundedScore;
        var weights = legs.Select(leg => (double)leg.Weight).ToArray();
        var multipliers = Enumerable.Repeat(1.0, legs.Count).ToArray();
        if (options.Corroboration && bounded)
        {
            // Under discrimination, the outvote counts two rivals' agreement as far as one of them can tell its records apart.
            multipliers = LegCorroboration.Multipliers(legs, windows, evidence, options.Discrimination ? signals.Select(s => s.Flatness).ToArray() : null);
        }

        for (var l = 0; l < weights.Length; l++)
        {
            weights[l] *= multipliers[l];
        }

        var deferredTo = options.Deferral && bounded ? Defer(legs, signals, weights) : new int[legs.Count];
        for (var l = 0; l < weights.Length; l++)
        {
            signals[l] = signals[l] with
            {
                Corroboration = multipliers[l],
                Weight = weights[l],
                DeferredTo = deferredTo[l] > 0 ? legs[deferredTo[l] - 1].Name : null,
            };
        }

        return new FusionPlan(windows, normalized, evidence, weights, signals);
    }

    /// <summary>
    /// <see cref="FusionOptions.Deferral"/>: each term-matching leg whose query is as long as the records it searches gives
    /// its (corroborated) weight to its most confident kNN rival, in full when the rival's best evidence reaches
    /// <see cref="FusionOptions.SureRivalEvidence"/>. Changes <paramref name="weights"/> in place.
    /// </summary>
    /// <returns>Per leg, 1 + the index of the rival it deferred to, or 0.</returns>
    private static int[] Defer(IReadOnlyList<RankedLeg> legs, LegSignal[] signals, double[] weights)
    {
        var deferredTo = new int[legs.Count];
        for (var l = 0; l < legs.Count; l++)
        {
            var leg = legs[l];
            if (!leg.MatchesTerms || !leg.QueryAsLongAsRecords || leg.QueryInput is null || leg.SearchedContent is null || weights[l] <= 0)
            {
                continue;
            }

            var rival = -1;
            for (var m = 0; m < legs.Count; m++)
            {
                if (m != l && !legs[m].MatchesTerms && weights[m] > 0 && signals[m].Confidence > 0
                    && string.Equals(legs[m].QueryInput, leg.QueryInput, StringComparison.Ordinal)
                    && string.Equals(legs[m].SearchedContent, leg.SearchedContent, StringComparison.Ordinal)
                    && (rival < 0 || signals[m].Confidence > signals[rival].Confidence))
                {
                    rival = m;
                }
            }

            if (rival < 0)
            {
                continue; // No rival above its floor: the words are all this input has.
            }

            weights[rival] += weights[l] * Math.Min(1, signals[rival].Confidence / FusionOptions.SureRivalEvidence);
            weights[l] = 0;
            deferredTo[l] = rival + 1;
        }

        return deferredTo;
    }

    /// <summary>Evidence for signals when the method has no score bounds: the window's scores stretched to [0, 1] above its last.</summary>
    private static double[] MinMaxEvidence(List<LegHit> window)
    {
        var values = new double[window.Count];
        if (window.Count == 0)
        {
            return values;
        }

        double max = window[0].Score, min = window[^1].Score;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = max == min ? 1.0 : (window[i].Score - min) / (max - min);
        }

        return values;
    }

    /// <summary>Legs non-null with unique names and the score bounds the method needs.</summary>
    private static void Validate(IReadOnlyList<RankedLeg> legs, FusionOptions options)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < legs.Count; i++)
        {
            var leg = legs[i] ?? throw new ArgumentNullException(nameof(legs), $"Leg at position {i} is null.");
            if (!names.Add(leg.Name))
            {
                throw new ArgumentException($"Leg name '{leg.Name}' is used by more than one leg.", nameof(legs));
            }

            if ((options.Method == FusionMethod.TheoreticalMinMax && leg.TheoreticalMinScore is null)
                || (options.Method == FusionMethod.BoundedScore && (leg.TheoreticalMinScore is null || leg.TheoreticalMaxScore is null)))
            {
                throw new ArgumentException(
                    $"Leg '{leg.Name}' lacks the theoretical score bounds that fusion method {options.Method} needs.",
                    nameof(legs));
            }
        }
    }

    private sealed record FusionPlan(List<LegHit>[] Windows, double[][] Normalized, double[][] Evidence, double[] Weights, LegSignal[] Signals);

    /// <summary>
    /// Per leg, λ of <see cref="FusionOptions.Discrimination"/> by key: the largest share of its best evidence that a
    /// leg answering another query input gives the record. Null for a leg without input or when no other input has a
    /// leg that counts (weight above 0, a record above the floor): such a leg's base counts in full.
    /// </summary>
    private static Dictionary<string, double>?[] OtherInputShares(IReadOnlyList<RankedLeg> legs, List<LegHit>[] windows, double[][] evidence, double[] weights)
    {
        var shares = new Dictionary<string, double>?[legs.Count];
        for (var l = 0; l < legs.Count; l++)
        {
            if (legs[l].QueryInput is null)
            {
                continue;
            }

            for (var j = 0; j < legs.Count; j++)
            {
                if (legs[j].QueryInput is null || string.Equals(legs[j].QueryInput, legs[l].QueryInput, StringComparison.Ordinal)
                    || weights[j] <= 0 || evidence[j].Length == 0 || evidence[j][0] <= 0)
                {
                    continue;
                }

                shares[l] ??= new Dictionary<string, double>(StringComparer.Ordinal);
                for (var i = 0; i < windows[j].Count; i++)
                {
                    var share = evidence[j][i] / evidence[j][0];
                    if (share > shares[l]!.GetValueOrDefault(windows[j][i].Key))
                    {
                        shares[l]![windows[j][i].Key] = share;
                    }
                }
            }
        }

        return shares;
    }

    /// <summary>
    /// Per leg, the records it abstains on under <see cref="FusionOptions.Abstention"/>, in its rivals' order (null for a
    /// leg that does not abstain): for a term-matching leg with an input, weight above 0 and a weakest match above 0,
    /// every record a rival (not term-matching, same input and content, weight above 0) holds above its floor and the
    /// leg's window lacks.
    /// </summary>
    private static List<string>?[] Abstentions(IReadOnlyList<RankedLeg> legs, List<LegHit>[] windows, double[][] evidence)
    {
        var abstentions = new List<string>?[legs.Count];
        for (var l = 0; l < legs.Count; l++)
        {
            var leg = legs[l];
            if (!leg.MatchesTerms || leg.QueryInput is null || leg.SearchedContent is null || leg.Weight <= 0
                || windows[l].Count == 0 || windows[l][^1].Score <= 0)
            {
                continue;
            }

            var held = new HashSet<string>(windows[l].Select(h => h.Key), StringComparer.Ordinal);
            for (var m = 0; m < legs.Count; m++)
            {
                var rival = legs[m];
                if (m == l || rival.MatchesTerms || rival.Weight <= 0
                    || !string.Equals(rival.QueryInput, leg.QueryInput, StringComparison.Ordinal)
                    || !string.Equals(rival.SearchedContent, leg.SearchedContent, StringComparison.Ordinal))
                {
                    continue;
                }

                for (var i = 0; i < windows[m].Count && evidence[m][i] > 0; i++)
                {
                    if (held.Add(windows[m][i].Key))
                    {
                        (abstentions[l] ??= []).Add(windows[m][i].Key);
                    }
                }
            }
        }

        return abstentions;
    }

    /// <summary>
    /// One page of a fused list: the hits ranked <c>offset + 1</c> to <c>offset + pageSize</c>. Pages of the same
    /// fused list never overlap or skip; the searcher must fuse every page of a query from the same leg windows
    /// (see <see cref="FusionWindow"/>) for pages of different calls to be slices of one list.
    /// </summary>
    /// <param name="fused">A fused list, as returned by <see cref="Fuse"/>.</param>
    /// <param name="offset">Number of hits to skip (0 for the first page).</param>
    /// <param name="pageSize">Maximum number of hits to return; at least 1.</param>
    /// <returns>The page; empty when <paramref name="offset"/> is at or beyond the end.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fused"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative or <paramref name="pageSize"/> is below 1.</exception>
    public static IReadOnlyList<FusedHit> Page(IReadOnlyList<FusedHit> fused, int offset, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(fused);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);

        if (offset >= fused.Count)
        {
            return [];
        }

        var count = Math.Min(pageSize, fused.Count - offset);
        var page = new FusedHit[count];
        for (var i = 0; i < count; i++)
        {
            page[i] = fused[offset + i];
        }

        return page;
    }

    /// <summary>The normalised value n_leg(d) of each hit of a window, by position.</summary>
    /// <param name="window">The leg's window.</param>
    /// <param name="leg">The leg.</param>
    /// <param name="options">The method.</param>
    /// <param name="evidence">For <see cref="FusionMethod.BoundedScore"/>, the values without the rank step (the clamped
    /// share of the leg's score range, 0 at the floor), which corroboration compares across legs; otherwise empty.</param>
    private static double[] Normalize(List<LegHit> window, RankedLeg leg, FusionOptions options, out double[] evidence)
    {
        evidence = [];
        var normalized = new double[window.Count];
        if (window.Count == 0)
        {
            return normalized;
        }

        // Best first, so the window's max is its first score and its min its last.
        double max = window[0].Score;
        double min = window[^1].Score;
        switch (options.Method)
        {
            case FusionMethod.ReciprocalRank:
                for (var i = 0; i < normalized.Length; i++)
                {
                    normalized[i] = 1.0 / (options.RrfK + (i + 1));
                }

                break;

            case FusionMethod.MinMax:
                for (var i = 0; i < normalized.Length; i++)
                {
                    normalized[i] = max == min ? 1.0 : (window[i].Score - min) / (max - min);
                }

                break;

            case FusionMethod.ZScore:
                var sigma = PopulationStandardDeviation(window);
                for (var i = 0; i < normalized.Length; i++)
                {
                    normalized[i] = sigma == 0 ? 0.0 : (window[i].Score - min) / sigma;
                }

                break;

            case FusionMethod.TheoreticalMinMax:
                double floor = leg.TheoreticalMinScore!.Value;
                for (var i = 0; i < normalized.Length; i++)
                {
                    normalized[i] = max <= floor ? 0.0 : Math.Max(0.0, (window[i].Score - floor) / (max - floor));
                }

                break;

            case FusionMethod.BoundedScore:
                double lo = leg.TheoreticalMinScore!.Value, hi = leg.TheoreticalMaxScore!.Value;
                evidence = new double[window.Count];
                for (var i = 0; i < normalized.Length; i++)
                {
                    // The rank step (at most 1e-6) keeps a leg's own order among hits clamped to the floor, which
                    // would otherwise tie at 0 and fall back to key order; above the floor it is negligible.
                    evidence[i] = Math.Clamp((window[i].Score - lo) / (hi - lo), 0.0, 1.0);
                    normalized[i] = evidence[i] + BoundedRankStep * (normalized.Length - i) / normalized.Length;
                }

                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Method, "Not a defined fusion method.");
        }

        return normalized;
    }

    /// <summary>Largest rank step <see cref="FusionMethod.BoundedScore"/> adds to a hit, so order survives clamping.</summary>
    internal const double BoundedRankStep = 1e-6;

    /// <summary>σ = sqrt(Σ (s − mean)² / n), in double: windows are short, and float sums would blur small spreads.</summary>
    private static double PopulationStandardDeviation(List<LegHit> window)
    {
        var mean = 0.0;
        foreach (var hit in window)
        {
            mean += hit.Score;
        }

        mean /= window.Count;
        var sumOfSquares = 0.0;
        foreach (var hit in window)
        {
            var deviation = hit.Score - mean;
            sumOfSquares += deviation * deviation;
        }

        return Math.Sqrt(sumOfSquares / window.Count);
    }

    /// <summary>The running fused score of one key and its per-leg explanation, in leg order.</summary>
    private sealed class Accumulator(string key)
    {
        public string Key { get; } = key;

        public double Score { get; set; }

        public OrderedDictionary<string, LegContribution> Legs { get; } = new(StringComparer.Ordinal);
    }
}
