namespace HybridSearch.Fusion;

/// <summary>
/// Per-query weight multipliers of <see cref="FusionOptions.Corroboration"/>: how much each leg's evidence is borne
/// out by the other legs. Works on bounded evidence values (<see cref="FusionMethod.BoundedScore"/> without its rank
/// step), which are comparable across legs: 0 is "what an unrelated document scores", 1 "a full match".
/// </summary>
/// <remarks>
/// <para>The agreement of two legs is <c>a(L, M) = max_d min(e_L(d), e_M(d))</c> over the records <c>d</c> in both legs'
/// first <see cref="AgreementDepth"/>: how strongly the record they both vouch for most is vouched for by the less sure
/// of the two (0 when their best records share none above the floor).
/// The confidence of a leg is <c>c(L) = max_d e_L(d)</c>. Only legs with a <see cref="RankedLeg.QueryInput"/> and a
/// weight above 0 take part; the multiplier of every other leg is 1. With <c>t</c> = <see cref="Tolerance"/>:</para>
/// <list type="number">
/// <item><description><b>Outvoted input.</b> For each other query input <c>J</c> answered by at least two legs, with
/// <c>C_J</c> the best agreement between two legs of <c>J</c> and <c>V</c> the best agreement of <c>L</c> with a leg of
/// <c>J</c>: <c>m_L ×= min(1, (t + V) / (t + C_J))</c>. When the legs answering the query text agree on a record and
/// the leg answering the query image agrees with none of them, the image points elsewhere than the words and counts
/// for little; an image that shares a record with the text legs keeps its weight. Under
/// <see cref="FusionOptions.Discrimination"/>, two legs of <c>J</c> that read the same
/// <see cref="RankedLeg.SearchedContent"/> (BM25 and an embedding over the same words) are not two independent votes:
/// their agreement counts in <c>C_J</c> times <c>(1 − min(F_a, F_b))^p</c>, with <c>F</c> the legs' flatness
/// (<see cref="LegSignal.Flatness"/>) and <c>p</c> = <see cref="RivalFlatnessExponent"/>. When one of them tells its
/// first records apart (a specific text: <c>F</c> near 0) their agreement counts in full; when both give their first
/// <c>k</c> records about the same evidence (a broad word matching dozens of records) they agree on generic records by
/// construction, and that agreement does not outvote the image.</description></item>
/// <item><description><b>Unsure rival.</b> For each other leg <c>M</c> answering the same input from the same
/// <see cref="RankedLeg.SearchedContent"/> (two estimates of one relevance, such as BM25 and an embedding over the same
/// text) with <c>c(M) &gt; c(L)</c>: <c>m_L ×= min(1, (t + a(L, M)) / (t + c(L)))</c>. A leg that is less sure than its
/// rival and shares none of its records is most likely answering a text it does not understand.</description></item>
/// </list>
/// <para>Legs answering the same input from different content (record text and transcripts) never damp each other:
/// they are complementary, and disagreement is what they are for.</para>
/// </remarks>
internal static class LegCorroboration
{
    /// <summary>
    /// Agreement below which two legs count as not agreeing at all (in evidence units, where 1 is a full match).
    /// Chosen on the <c>fusion</c> and <c>visual-fusion</c> benchmarks: 0.01–0.03 measured alike, 0.05 let a
    /// contradicting image cost more.
    /// </summary>
    public const double Tolerance = 0.02;

    /// <summary>
    /// How many of each leg's best records agreement looks at. Deep in two long windows some record is shared by
    /// chance (measured: with windows of 1,000 an off-topic text leg still "agreed" at half its confidence); agreement
    /// is about the records each leg puts first. 20 measured as well as 50 and better than the whole window on the
    /// <c>fusion</c> benchmark, and 10 or 5 began to cost the normal case.
    /// </summary>
    public const int AgreementDepth = 20;

    /// <summary>
    /// <c>p</c> of the rival discount <c>(1 − min(F_a, F_b))^p</c> in the outvoted-input rule. Measured on the MedPix
    /// category + image queries (MRR@10 over the image alone): p = 1: 0.83×, 2: 0.87×, 3: 0.90×, 4: 0.92×, 6: 0.94×,
    /// and 0.95× when only a leg with no base counts; caption words + image stayed at 1.06× and every COCO case of
    /// <c>visual-fusion</c> did not move for any p (there the semantic leg's 10th record is at the floor: flatness 0).
    /// 4 is the smallest that clears 0.90× with a margin while a pair whose sharper leg has flatness 0.2 still counts
    /// 0.41 of its agreement (a hard rule would drop it).
    /// </summary>
    public const double RivalFlatnessExponent = 4;

    /// <summary>The multiplier of each leg's weight, by position.</summary>
    /// <param name="legs">The legs.</param>
    /// <param name="windows">Each leg's window.</param>
    /// <param name="evidence">Each leg's evidence values, by window position, in [0, 1].</param>
    /// <param name="flatness">Each leg's flatness (<see cref="LegSignal.Flatness"/>), or null: when given
    /// (<see cref="FusionOptions.Discrimination"/>), the outvoted-input rule discounts the agreement of two rivals by
    /// their flatness (see the remarks).</param>
    public static double[] Multipliers(IReadOnlyList<RankedLeg> legs, IReadOnlyList<List<LegHit>> windows, IReadOnlyList<double[]> evidence, IReadOnlyList<double>? flatness = null)
    {
        var multipliers = new double[legs.Count];
        Array.Fill(multipliers, 1.0);

        // Per taking-part leg: its records above the floor with their evidence, and its confidence.
        var taking = new List<int>();
        var byKey = new Dictionary<string, double>[legs.Count];
        var confidence = new double[legs.Count];
        for (var l = 0; l < legs.Count; l++)
        {
            if (legs[l].QueryInput is null || legs[l].Weight <= 0)
            {
                continue;
            }

            var map = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var i = 0; i < windows[l].Count; i++)
            {
                confidence[l] = Math.Max(confidence[l], evidence[l][i]);
                if (i < AgreementDepth && evidence[l][i] > 0)
                {
                    map[windows[l][i].Key] = evidence[l][i];
                }
            }

            byKey[l] = map;
            taking.Add(l);
        }

        if (taking.Count < 2)
        {
            return multipliers;
        }

        // Pairwise agreement is symmetric; legs are few (at most a handful), so the full matrix is cheap.
        var agreement = new double[legs.Count, legs.Count];
        foreach (var a in taking)
        {
            foreach (var b in taking)
            {
                if (a < b)
                {
                    agreement[a, b] = agreement[b, a] = Agreement(byKey[a], byKey[b]);
                }
            }
        }

        foreach (var l in taking)
        {
            var leg = legs[l];
            var multiplier = 1.0;

            // Outvoted input: compare with each other input answered by at least two legs that agree among themselves.
            foreach (var input in taking.Select(i => legs[i].QueryInput!).Distinct(StringComparer.Ordinal))
            {
                if (string.Equals(input, leg.QueryInput, StringComparison.Ordinal))
                {
                    continue;
                }

                var group = taking.Where(i => string.Equals(legs[i].QueryInput, input, StringComparison.Ordinal)).ToList();
                if (group.Count < 2)
                {
                    continue;
                }

                var within = 0.0;
                foreach (var a in group)
                {
                    foreach (var b in group)
                    {
                        if (a < b)
                        {
                            within = Math.Max(within, Independent(legs, a, b, flatness) * agreement[a, b]);
                        }
                    }
                }

                var with = group.Max(g => agreement[l, g]);
                multiplier *= Math.Min(1.0, (Tolerance + with) / (Tolerance + within));
            }

            // Unsure rival: a more confident leg reading the same content for the same input, sharing nothing with it.
            foreach (var m in taking)
            {
                if (m != l
                    && string.Equals(legs[m].QueryInput, leg.QueryInput, StringComparison.Ordinal)
                    && legs[m].SearchedContent is not null
                    && string.Equals(legs[m].SearchedContent, leg.SearchedContent, StringComparison.Ordinal)
                    && confidence[m] > confidence[l])
                {
                    multiplier *= Math.Min(1.0, (Tolerance + agreement[l, m]) / (Tolerance + confidence[l]));
                }
            }

            multipliers[l] = multiplier;
        }

        return multipliers;
    }

    /// <summary>
    /// How far the agreement of legs <paramref name="a"/> and <paramref name="b"/> of one input counts as two votes in
    /// the outvoted-input rule: 1 for legs reading different content or without flatness; for rivals (same
    /// <see cref="RankedLeg.SearchedContent"/>) <c>(1 − min(F_a, F_b))^</c><see cref="RivalFlatnessExponent"/>.
    /// </summary>
    private static double Independent(IReadOnlyList<RankedLeg> legs, int a, int b, IReadOnlyList<double>? flatness) =>
        flatness is not null && legs[a].SearchedContent is not null && string.Equals(legs[a].SearchedContent, legs[b].SearchedContent, StringComparison.Ordinal)
            ? Math.Pow(1 - Math.Min(flatness[a], flatness[b]), RivalFlatnessExponent)
            : 1.0;

    /// <summary>max over shared records of the smaller evidence.</summary>
    private static double Agreement(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var best = 0.0;
        foreach (var (key, value) in small)
        {
            if (large.TryGetValue(key, out var other))
            {
                best = Math.Max(best, Math.Min(value, other));
            }
        }

        return best;
    }
}
