using HybridSearch.Codecs;
using HybridSearch.Indexing.Analysis;
using Lucene.Net.Analysis;
using Lucene.Net.Search.Similarities;

namespace HybridSearch.Indexing;

/// <summary>
/// Immutable settings of a <see cref="HybridIndex"/>: its vector fields, text analysis, BM25 parameters and
/// writer tuning. Build with the <c>WithX</c> methods; each returns a new instance.
/// </summary>
/// <example>
/// <code>
/// var options = HybridIndexOptions.Default
///     .WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(512, VectorSimilarity.Cosine) { Embedder = "resnet18" })
///     .WithCommitEvery(500);
/// </code>
/// </example>
public sealed record HybridIndexOptions
{
    /// <summary>No vector fields, English analysis (<see cref="TextAnalysisOptions.Default"/>: Porter2 stemming,
    /// Snowball stop words), BM25(k1 = 1.2, b = 0.75) — chosen by measurement on MED, CISI and Cranfield.</summary>
    public static HybridIndexOptions Default { get; } = new();

    private HybridIndexOptions()
    {
    }

    /// <summary>Declared vector fields (name to settings). Fields found in an existing index are added on open.</summary>
    public IReadOnlyDictionary<string, VectorFieldOptions> VectorFields { get; private init; } = new Dictionary<string, VectorFieldOptions>(StringComparer.Ordinal);

    /// <summary>Creates the analyzer used for titles, texts, captions and transcripts, at index and query time.</summary>
    public Func<Analyzer> AnalyzerFactory { get; private init; } = static () => TextAnalysisOptions.Default.CreateAnalyzer();

    /// <summary>BM25 k1 (term frequency saturation).</summary>
    public float Bm25K1 { get; private init; } = Bm25Options.DefaultK1;

    /// <summary>BM25 b (length normalisation).</summary>
    public float Bm25B { get; private init; } = Bm25Options.DefaultB;

    /// <summary>Indexing memory buffer in MB before a segment is flushed.</summary>
    public double RamBufferMB { get; private init; } = 128;

    /// <summary>Segments per size tier where Lucene's tiered merge policy decides: segments larger than its maximum
    /// merged size (5 GB), forced merges and merges that reclaim deletions (at least 2). Below that size, the index
    /// folds its segments into the largest once it has more than 3. Default 2: every segment costs a kNN query a
    /// graph walk, so fewer, larger segments search faster.</summary>
    public double SegmentsPerTier { get; private init; } = 2;

    /// <summary>Returns options with another number of segments per merge tier (see <see cref="SegmentsPerTier"/>).</summary>
    public HybridIndexOptions WithSegmentsPerTier(double segmentsPerTier)
    {
        if (!(segmentsPerTier >= 2 && segmentsPerTier <= 50))
        {
            throw new ArgumentOutOfRangeException(nameof(segmentsPerTier), segmentsPerTier, "Segments per tier must be between 2 and 50.");
        }

        return this with { SegmentsPerTier = segmentsPerTier };
    }

    /// <summary>Returns options with one more vector field (or its settings replaced).</summary>
    public HybridIndexOptions WithVectorField(string name, VectorFieldOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        var fields = new Dictionary<string, VectorFieldOptions>(VectorFields, StringComparer.Ordinal) { [name] = options };
        return this with { VectorFields = fields };
    }

    /// <summary>Returns options with other text analysis (stemmer, stop words) for text fields.</summary>
    public HybridIndexOptions WithTextAnalysis(TextAnalysisOptions analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return this with { AnalyzerFactory = analysis.CreateAnalyzer };
    }

    /// <summary>Returns options with another analyzer for text fields.</summary>
    public HybridIndexOptions WithAnalyzer(Func<Analyzer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return this with { AnalyzerFactory = factory };
    }

    /// <summary>Returns options with other BM25 parameters.</summary>
    public HybridIndexOptions WithBm25(float k1, float b)
    {
        if (!(k1 >= 0) || !float.IsFinite(k1))
        {
            throw new ArgumentOutOfRangeException(nameof(k1), k1, "BM25 k1 must be a finite number >= 0.");
        }

        if (!(b >= 0 && b <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(b), b, "BM25 b must be between 0 and 1.");
        }

        return this with { Bm25K1 = k1, Bm25B = b };
    }

    /// <summary>Returns options with another indexing memory buffer.</summary>
    public HybridIndexOptions WithRamBufferMB(double megabytes)
    {
        if (!(megabytes >= 1 && megabytes <= 2047))
        {
            throw new ArgumentOutOfRangeException(nameof(megabytes), megabytes, "The RAM buffer must be between 1 and 2047 MB.");
        }

        return this with { RamBufferMB = megabytes };
    }

    /// <summary>The BM25 similarity with these parameters.</summary>
    public Similarity CreateSimilarity() => new Bm25Options { K1 = Bm25K1, B = Bm25B }.CreateSimilarity();
}
