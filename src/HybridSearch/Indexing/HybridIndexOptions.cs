using HybridSearch.Codecs;
using HybridSearch.Indexing.Analysis;
using Lucene.Net.Analysis;
using Lucene.Net.Search.Similarities;

namespace HybridSearch.Indexing;

/// <summary>
/// Immutable settings of a <see cref="HybridIndex"/>: its vector fields, text analysis, BM25 parameters and
/// writer tuning. Set them with an object initializer or a <c>with</c> expression: every setting is checked when set
/// (also in <c>with</c>). <see cref="WithVectorField"/> is a shorthand for one entry of <see cref="VectorFields"/>.
/// </summary>
/// <example>
/// <code>
/// var options = HybridIndexOptions.Default
///     .WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(512, VectorSimilarity.Cosine) { Embedder = "resnet18" })
///     with { RamBufferMB = 256, Bm25 = new Bm25Options { K1 = 0.9f } };
/// </code>
/// </example>
public sealed record HybridIndexOptions
{
    /// <summary>Smallest <see cref="RamBufferMB"/>.</summary>
    public const double MinRamBufferMB = 1;

    /// <summary>Largest <see cref="RamBufferMB"/>, below Lucene's 2,048 MB per-thread hard limit.</summary>
    public const double MaxRamBufferMB = 2047;

    /// <summary>Smallest <see cref="SegmentsPerTier"/>: Lucene's tiered merge policy needs at least 2.</summary>
    public const double MinSegmentsPerTier = 2;

    /// <summary>Largest <see cref="SegmentsPerTier"/>: more leaves a kNN query walking too many graphs.</summary>
    public const double MaxSegmentsPerTier = 50;

    /// <summary>No vector fields, English analysis (<see cref="TextAnalysisOptions.Default"/>: Porter2 stemming,
    /// Snowball stop words), BM25(k1 = 1.2, b = 0.75) — chosen by measurement on MED, CISI and Cranfield — a 128 MB
    /// RAM buffer and 2 segments per tier.</summary>
    public static HybridIndexOptions Default { get; } = new();

    /// <summary>Declared vector fields (name to settings). Fields found in an existing index are added on open. Names
    /// must not be blank; a copy of the dictionary given is kept.</summary>
    /// <exception cref="ArgumentNullException">The value or one of its settings is null.</exception>
    /// <exception cref="ArgumentException">A field name is blank.</exception>
    public IReadOnlyDictionary<string, VectorFieldOptions> VectorFields
    {
        get;
        init => field = CopyVectorFields(value);
    } = new Dictionary<string, VectorFieldOptions>(StringComparer.Ordinal);

    /// <summary>Creates the analyzer used for titles, texts, captions and transcripts, at index and query time;
    /// default <see cref="TextAnalysisOptions.Default"/>'s (set another with e.g.
    /// <c>AnalyzerFactory = new TextAnalysisOptions { ... }.CreateAnalyzer</c>).</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public Func<Analyzer> AnalyzerFactory
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(AnalyzerFactory));
    } = static () => TextAnalysisOptions.Default.CreateAnalyzer();

    /// <summary>BM25 parameters (default <see cref="Bm25Options.Default"/>: k1 = 1.2, b = 0.75); their limits are
    /// <see cref="Bm25Options"/>'s.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public Bm25Options Bm25
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Bm25));
    } = Bm25Options.Default;

    /// <summary>Indexing memory buffer in MB before a segment is flushed: in [<see cref="MinRamBufferMB"/>,
    /// <see cref="MaxRamBufferMB"/>], default 128.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range or NaN.</exception>
    public double RamBufferMB
    {
        get;
        init => field = value is >= MinRamBufferMB and <= MaxRamBufferMB
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RamBufferMB), value, $"RamBufferMB must be between {MinRamBufferMB} and {MaxRamBufferMB}.");
    } = 128;

    /// <summary>Segments per size tier where Lucene's tiered merge policy decides: segments larger than its maximum
    /// merged size (5 GB), forced merges and merges that reclaim deletions. Below that size, the index folds its
    /// segments into the largest once it has more than 3. In [<see cref="MinSegmentsPerTier"/>,
    /// <see cref="MaxSegmentsPerTier"/>], default 2: every segment costs a kNN query a graph walk, so fewer, larger
    /// segments search faster.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range or NaN.</exception>
    public double SegmentsPerTier
    {
        get;
        init => field = value is >= MinSegmentsPerTier and <= MaxSegmentsPerTier
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SegmentsPerTier), value, $"SegmentsPerTier must be between {MinSegmentsPerTier} and {MaxSegmentsPerTier}.");
    } = 2;

    /// <summary>Shorthand for setting one entry of <see cref="VectorFields"/> (adding the field or replacing its
    /// settings); checked by its setter.</summary>
    /// <returns>A new instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public HybridIndexOptions WithVectorField(string name, VectorFieldOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        return this with { VectorFields = new Dictionary<string, VectorFieldOptions>(VectorFields, StringComparer.Ordinal) { [name] = options } };
    }

    /// <summary>The BM25 similarity with these parameters.</summary>
    public Similarity CreateSimilarity() => Bm25.CreateSimilarity();

    private static Dictionary<string, VectorFieldOptions> CopyVectorFields(IReadOnlyDictionary<string, VectorFieldOptions> value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(VectorFields));
        var copy = new Dictionary<string, VectorFieldOptions>(value.Count, StringComparer.Ordinal);
        foreach (var (name, options) in value)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("VectorFields: a vector field name must not be blank.", nameof(VectorFields));
            }

            copy[name] = options ?? throw new ArgumentNullException(nameof(VectorFields), $"VectorFields['{name}'] has no settings.");
        }

        return copy;
    }
}
