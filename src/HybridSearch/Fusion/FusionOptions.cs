namespace HybridSearch.Fusion;

/// <summary>Immutable, validated settings of <see cref="ScoreFusion.Fuse"/>. Every setting is checked when set, including in <c>with</c> expressions.</summary>
/// <remarks>
/// <see cref="Default"/> is the library's default fusion (what <see cref="HybridSearch.Querying.HybridSearchOptions"/>
/// starts from). A new instance without settings is plain reciprocal rank with <c>k = 60</c>
/// (<see cref="ReciprocalRank"/>): every rule is off until set.
/// </remarks>
/// <example>
/// <code>
/// var library = FusionOptions.Default;                               // bounded scores, corroboration, narrowing, abstention, deferral
/// var rrf = FusionOptions.ReciprocalRank with { RrfK = 20 };        // reciprocal rank, k = 20
/// var minMax = new FusionOptions { Method = FusionMethod.MinMax };
/// </code>
/// </example>
public sealed record FusionOptions
{
    /// <summary>The constant <c>k</c> of reciprocal-rank fusion unless set, from Cormack et al. 2009.</summary>
    public const double DefaultRrfK = 60;

    /// <summary>
    /// The library's default fusion, the one a search uses unless told otherwise: bounded scores
    /// (<see cref="FusionMethod.BoundedScore"/>: each leg normalised by its own score range, not stretched to its
    /// window) with per-query <see cref="Corroboration"/> of the legs and narrowing (<see cref="Discrimination"/>: with
    /// two query inputs, the part of a leg's evidence that cannot tell its first 10 apart counts only for records the
    /// other input also ranks, and two flat legs over the same words agreeing on generic records do not outvote the
    /// image), and BM25 abstaining (<see cref="Abstention"/>: a record BM25 did not match but its MiniLM rival holds above
    /// the floor is credited BM25's weakest match instead of 0), and BM25 deferring (<see cref="Deferral"/>: on a sentence query
    /// over records about as short as it, BM25's weight goes to its MiniLM rival). Measured in the README's Fusion section:
    /// MedPix category + image 0.262 → 0.472 (0.93× the image alone), caption words + image 1.055× the words alone, COCO
    /// captions as text queries equal to MiniLM alone (0.867 / 0.849 / 0.876 / 0.854, BM25 alone 0.72–0.74), MED, CISI
    /// and Cranfield unchanged.
    /// </summary>
    /// <remarks>Chosen by measurement against reciprocal rank, min-max and z-score on MED, CISI, Cranfield and COCO,
    /// with off-topic inputs for robustness: see <c>docs/decisions/0001-default-fusion.md</c> and the README's Fusion
    /// section. When an application knows which input to trust, set weights or minimum scores, or turn corroboration
    /// off.</remarks>
    public static FusionOptions Default { get; } = new() { Method = FusionMethod.BoundedScore, Corroboration = true, Discrimination = true, Abstention = true, Deferral = true };

    /// <summary>Reciprocal-rank fusion with <c>k = 60</c> and no other rule (what a new instance without settings is).</summary>
    public static FusionOptions ReciprocalRank { get; } = new();

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
    /// set; on in <see cref="Default"/>). Used by
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
    /// Whether the part of a leg's evidence that cannot tell its best records apart narrows the other inputs' legs
    /// instead of ranking on its own (off unless set; on in <see cref="Default"/>). Used by <see cref="FusionMethod.BoundedScore"/> only. Per query, each leg has a base <c>b_l = e_l(k)</c>, the
    /// evidence of its <c>k</c>-th hit (<c>k</c> = <see cref="SignalDepth"/>; 0 when the window is shorter): every one of
    /// its first <c>k</c> records holds at least that much, so that part says "in the set this leg matches", not which
    /// record. With <c>m_l(d) = min(e_l(d), b_l)</c> and <c>λ_l(d) = max_j e_j(d) / e_j(1)</c> over the legs <c>j</c>
    /// answering another query input (<see cref="RankedLeg.QueryInput"/>; 0 when none holds <c>d</c>, and 1 when the
    /// query has no other input or the leg has no input):
    /// <code>contribution_l(d) = w_l · [ n_l(d) − α · m_l(d) · (1 − λ_l(d)) ]      α = NarrowingStrength</code>
    /// The part above the base ranks as before; the base counts in full for a record the other input also ranks at its
    /// top and not at all for one it does not hold. A broad word next to an image (dozens of reports matching it about
    /// equally: a high base) then lifts the image's candidates it also holds instead of ranking its own dozens of ties
    /// above them; a specific text has a low base and ranks as before. A query with one input (text only) is unchanged.
    /// In the outvoted-input rule of <see cref="Corroboration"/>, the agreement of two legs reading the same content for
    /// the same input (BM25 and an embedding over the same words) counts times <c>(1 − min(F_a, F_b))^4</c>, with
    /// <c>F = b / e_1</c> the legs' flatness: two flat legs agreeing on generic records are one piece of evidence, not
    /// two votes against a third.
    /// <see cref="LegSignal"/> reports every signal and the weights.
    /// </summary>
    public bool Discrimination { get; init; }

    /// <summary>
    /// Whether a leg that finds only records sharing a term with the query (<see cref="RankedLeg.MatchesTerms"/>: BM25)
    /// abstains on the records it did not match instead of scoring them 0 (off unless set; on in <see cref="Default"/>).
    /// Used by <see cref="FusionMethod.BoundedScore"/> only. For such a leg <c>L</c> (with a
    /// <see cref="RankedLeg.QueryInput"/>, weight above 0 and a window whose weakest hit scores above 0) and each rival
    /// <c>M</c> (not term-matching, same input and <see cref="RankedLeg.SearchedContent"/>, weight above 0), every record of
    /// <c>M</c>'s window with evidence above 0 (above <c>M</c>'s floor) that <c>L</c>'s window lacks is credited
    /// <c>L</c>'s weakest match: its evidence <c>e_L(last)</c>, narrowed like any of <c>L</c>'s values under
    /// <see cref="Discrimination"/>, and no rank step.
    /// <code>contribution_L(d) = w_L · [ e_L(last) − α · min(e_L(last), b_L) · (1 − λ_L(d)) ]      d held by M above its floor, not by L</code>
    /// Such a record shares no word with the query; that says nothing about a paraphrase the rival found ("cannot tell",
    /// not "irrelevant"), so without it the lexical leg lifts its own weakest, one-common-word matches above the rival's
    /// paraphrases. The credit is the least the leg gives any record it matched, so it never lifts an abstained record
    /// above one the leg matched. Abstained records take no part in the leg's window, signals or corroboration; they are
    /// reported with <see cref="LegContribution.Abstained"/>. Measured in <c>docs/decisions/0001-default-fusion.md</c>: no
    /// constant, no measured figure down by more than 0.002, COCO captions +0.003–0.006, MedPix category + image
    /// 0.46 → 0.49.
    /// </summary>
    public bool Abstention { get; init; }

    /// <summary>
    /// Whether a term-matching leg (BM25) whose query is a sentence about as long as the short records it searches
    /// (<see cref="RankedLeg.QueryAsLongAsRecords"/>: a caption against captions, a title against titles) defers to its kNN
    /// rival (off unless set; on in <see cref="Default"/>). Used by <see cref="FusionMethod.BoundedScore"/> only. After
    /// <see cref="Corroboration"/>, such a leg <c>L</c> with a rival <c>M</c> (not term-matching, same input and
    /// <see cref="RankedLeg.SearchedContent"/>, weight above 0, a record above its floor) gives its weight to the rival:
    /// <code>w_M ← w_M + w_L · min(1, e_M(1) / SureRivalEvidence)      w_L ← 0</code>
    /// (the most confident rival when there are several). The input keeps the strength of its two legs when the rival is
    /// sure (its best record at least <see cref="SureRivalEvidence"/> of the way from an unrelated record's score to a full
    /// match) and the rival's order decides. Why: comparing a sentence with sentences of its own length is the task
    /// sentence embedders are trained for, and there a word-by-word match mostly says the records share a topic word; on
    /// captioned photos BM25 turned more of the embedder's close calls wrong than right, whatever its weight (decision
    /// 0001). A keyword query (one or two terms), a long question, or long records keep both legs. The leg's corroboration
    /// still counts (its agreement with the rival is evidence against another input), and its hits are still reported, with
    /// weight 0. <see cref="LegSignal.DeferredTo"/> names the rival.
    /// </summary>
    public bool Deferral { get; init; }

    /// <summary>The evidence of its best record at which a kNN rival takes the whole weight of a deferring leg
    /// (<see cref="Deferral"/>); below it, that share of it. Chosen on COCO captions (0.14–0.37 hold every measured row;
    /// decision 0001): a caption's nearest caption is typically 0.3–0.7 of the way from an unrelated one to identity, an
    /// off-topic phrase's about 0.1.</summary>
    public const double SureRivalEvidence = 0.25;

    /// <summary>
    /// <c>α</c> of <see cref="Discrimination"/>: the share of a leg's base that depends on the other input (1, the default:
    /// all of it; 0: none, which is plain bounded fusion). In [0, 1].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 1].</exception>
    public double NarrowingStrength
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(NarrowingStrength), value, "NarrowingStrength must be in [0, 1].");
    } = 1;

    /// <summary>How many of a leg's best hits its signals look at (<c>k</c> of <see cref="LegSignal"/>, the rank of the base of <see cref="Discrimination"/>); default 10, in [2, 1000].</summary>
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
