using System.Globalization;

namespace HybridSearch.Fusion;

/// <summary>
/// One ranked list to fuse (lexical BM25, semantic kNN, visual kNN, transcript BM25, ...): its hits best first,
/// its weight, and an optional score floor. Validated and copied on construction, so a leg is immutable.
/// </summary>
/// <remarks>
/// The hits that take part in fusion — the leg's <em>window</em> — are the given hits with
/// <c>Score &lt; MinScore</c> dropped and, for a key listed twice, only its first (best) occurrence kept. Ranks
/// (1-based) and the normalisations of <see cref="FusionMethod"/> are computed over the window only.
/// </remarks>
public sealed class RankedLeg
{
    private readonly LegHit[] _hits;

    /// <summary>Creates a leg.</summary>
    /// <param name="name">Leg name, unique among the legs fused together; names the leg in explanations and errors.</param>
    /// <param name="hits">The leg's hits, best first: scores must be finite and non-increasing, keys non-empty.</param>
    /// <param name="weight">
    /// Multiplies the leg's normalised scores. 0 means the leg contributes nothing to fused scores, but its ranks
    /// and raw scores are still reported in <see cref="FusedHit.Legs"/> and its keys still appear in the fused list.
    /// </param>
    /// <param name="minScore">
    /// When set, hits scoring below it are dropped before fusion, and ranks are recomputed over what remains.
    /// </param>
    /// <param name="theoreticalMinScore">
    /// The lowest score the leg's scoring function can produce (0 for BM25, −1 for cosine similarity); required by
    /// <see cref="FusionMethod.TheoreticalMinMax"/> and <see cref="FusionMethod.BoundedScore"/>, ignored by the others. A hit
    /// scoring below it counts as the floor (normalised 0): for a kNN leg the floor is "unrelated", not the lowest possible.
    /// </param>
    /// <param name="theoreticalMaxScore">
    /// The score that stands for a full match of this query (for BM25: Σ idf over the query's terms, a document holding each once; for
    /// cosine: 1); required by <see cref="FusionMethod.BoundedScore"/>, ignored by the other methods. Hits may score
    /// above it (they are clamped), since it may be an estimate.
    /// </param>
    /// <param name="queryInput">
    /// Which part of the query the leg answers (the searcher uses <c>"text"</c> and <c>"image"</c>); legs answering
    /// different inputs can outvote each other under <see cref="FusionOptions.Corroboration"/>. Null (the default) keeps
    /// the leg out of corroboration: its weight is used as given and it is not evidence for or against other legs.
    /// </param>
    /// <param name="searchedContent">
    /// What the leg searches (e.g. <c>"record text"</c>, <c>"transcripts"</c>). Two legs answering the same input from
    /// the same content are rival estimates of one relevance (BM25 and an embedding over the same text), which
    /// <see cref="FusionOptions.Corroboration"/> weighs against each other; null means the leg has no rival.
    /// </param>
    /// <param name="matchesTerms">
    /// Whether the leg finds only records that share a term with the query (BM25): a record it does not hold shares no
    /// word with the query, which says nothing either way about a paraphrase. Under <see cref="FusionOptions.Abstention"/>
    /// such a leg abstains on the records its rival holds above the rival's floor instead of scoring them 0.
    /// </param>
    /// <param name="queryAsLongAsRecords">
    /// Whether the leg's query is a sentence about as long as the short records it searches (the searcher sets it for the
    /// lexical leg: see <see cref="QueryAsLongAsRecords"/>). Under <see cref="FusionOptions.Deferral"/> such a
    /// term-matching leg defers to its kNN rival.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="hits"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="weight"/> is negative, NaN or infinite, or <paramref name="minScore"/> or
    /// <paramref name="theoreticalMinScore"/> is NaN (or the latter infinite).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is blank, or a hit has a null/empty key, a non-finite score, a score above the
    /// previous hit's.
    /// </exception>
    public RankedLeg(string name, IReadOnlyList<LegHit> hits, float weight = 1, float? minScore = null, float? theoreticalMinScore = null, float? theoreticalMaxScore = null,
        string? queryInput = null, string? searchedContent = null, bool matchesTerms = false, bool queryAsLongAsRecords = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(hits);
        if (!float.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight,
                $"Leg '{name}': weight must be a finite number >= 0.");
        }

        if (minScore is float floor && float.IsNaN(floor))
        {
            throw new ArgumentOutOfRangeException(nameof(minScore), minScore, $"Leg '{name}': minScore must not be NaN.");
        }

        if (theoreticalMinScore is float theoretical && !float.IsFinite(theoretical))
        {
            throw new ArgumentOutOfRangeException(nameof(theoreticalMinScore), theoreticalMinScore,
                $"Leg '{name}': theoreticalMinScore must be finite.");
        }

        if (theoreticalMaxScore is float ceiling && (!float.IsFinite(ceiling) || (theoreticalMinScore is float low && ceiling <= low)))
        {
            throw new ArgumentOutOfRangeException(nameof(theoreticalMaxScore), theoreticalMaxScore,
                $"Leg '{name}': theoreticalMaxScore must be finite and above theoreticalMinScore.");
        }

        _hits = new LegHit[hits.Count];
        for (var i = 0; i < _hits.Length; i++)
        {
            var hit = hits[i];
            if (string.IsNullOrEmpty(hit.Key))
            {
                throw new ArgumentException($"Leg '{name}': hit at position {i} has a null or empty key.", nameof(hits));
            }

            if (!float.IsFinite(hit.Score))
            {
                throw new ArgumentException(
                    $"Leg '{name}': hit '{hit.Key}' at position {i} has score {Format(hit.Score)}; scores must be finite.",
                    nameof(hits));
            }

            // Ranks are positions, so a list that is not best-first would silently disagree with its own scores.
            if (i > 0 && hit.Score > _hits[i - 1].Score)
            {
                throw new ArgumentException(
                    $"Leg '{name}': hit '{hit.Key}' at position {i} has score {Format(hit.Score)}, above the previous " +
                    $"hit's {Format(_hits[i - 1].Score)}; hits must be given best first.",
                    nameof(hits));
            }

            _hits[i] = hit;
        }

        Name = name;
        Weight = weight;
        MinScore = minScore;
        TheoreticalMinScore = theoreticalMinScore;
        TheoreticalMaxScore = theoreticalMaxScore;
        QueryInput = string.IsNullOrWhiteSpace(queryInput) ? null : queryInput;
        SearchedContent = string.IsNullOrWhiteSpace(searchedContent) ? null : searchedContent;
        MatchesTerms = matchesTerms;
        QueryAsLongAsRecords = queryAsLongAsRecords;
    }

    /// <summary>Leg name, unique among the legs fused together.</summary>
    public string Name { get; }

    /// <summary>The hits as given (before <see cref="MinScore"/> filtering and de-duplication), best first.</summary>
    public IReadOnlyList<LegHit> Hits => _hits;

    /// <summary>Multiplier of the leg's normalised scores; 0 reports the leg without letting it count.</summary>
    public float Weight { get; }

    /// <summary>Hits scoring below this are dropped before fusion; null keeps all hits.</summary>
    public float? MinScore { get; }

    /// <summary>The lowest score the leg's scoring function can produce; used by <see cref="FusionMethod.TheoreticalMinMax"/>.</summary>
    public float? TheoreticalMinScore { get; }

    /// <summary>The score that stands for a full match of this query (higher scores count as 1); used by <see cref="FusionMethod.BoundedScore"/>.</summary>
    public float? TheoreticalMaxScore { get; }

    /// <summary>Which part of the query the leg answers, or null when the leg takes no part in corroboration.</summary>
    public string? QueryInput { get; }

    /// <summary>What the leg searches; legs with the same input and content are rivals under corroboration.</summary>
    public string? SearchedContent { get; }

    /// <summary>Whether the leg finds only records sharing a term with the query (BM25), so that a record it lacks is one it
    /// cannot judge; see <see cref="FusionOptions.Abstention"/>.</summary>
    public bool MatchesTerms { get; }

    /// <summary>Whether the leg's query is a sentence about as long as the records it searches: at least three distinct
    /// terms, records of at most 24 terms on average (a caption, a title), and no more than twice the query's terms. The
    /// searcher sets it for the lexical leg from the index's statistics; see <see cref="FusionOptions.Deferral"/>.</summary>
    public bool QueryAsLongAsRecords { get; }

    /// <summary>
    /// The window: hits at or above <see cref="MinScore"/>, first occurrence of each key only, best first.
    /// </summary>
    internal List<LegHit> Window()
    {
        var window = new List<LegHit>(_hits.Length);
        var seen = new HashSet<string>(_hits.Length, StringComparer.Ordinal);
        foreach (var hit in _hits)
        {
            // Hits are best first, so everything after the first hit below the floor is below it too.
            if (MinScore is float floor && hit.Score < floor)
            {
                break;
            }

            if (seen.Add(hit.Key))
            {
                window.Add(hit);
            }
        }

        return window;
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
