using HybridSearch.Graph;
using HybridSearch.Vectors;

namespace HybridSearch.Codecs;

/// <summary>
/// The settings of one vector field: what its vectors are (dimension, similarity, the embedder that made them) and how
/// its HNSW graph is built. Immutable; validated on construction.
/// </summary>
/// <example>
/// <code>
/// var options = new VectorFieldOptions(512, VectorSimilarity.Cosine) { Embedder = "resnet18", Quantization = VectorQuantization.Int8 };
/// </code>
/// </example>
public sealed record VectorFieldOptions
{
    /// <summary>The largest dimension accepted: a vector must fit one Lucene binary doc value (32,766 bytes).</summary>
    public const int MaxDimension = 8191;

    /// <summary>Creates options for vectors of <paramref name="dimension"/> components compared by <paramref name="similarity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not in 1..<see cref="MaxDimension"/>.</exception>
    public VectorFieldOptions(int dimension, VectorSimilarity similarity)
    {
        if (dimension < 1 || dimension > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"A vector dimension must be between 1 and {MaxDimension}.");
        }

        if (!Enum.IsDefined(similarity))
        {
            throw new ArgumentOutOfRangeException(nameof(similarity), similarity, "Unknown vector similarity.");
        }

        Dimension = dimension;
        Similarity = similarity;
    }

    /// <summary>Number of components of every vector of the field.</summary>
    public int Dimension { get; }

    /// <summary>How vectors of the field are compared.</summary>
    public VectorSimilarity Similarity { get; }

    /// <summary>Maximum neighbours per node on upper graph levels (level 0 allows twice as many). Default 16.</summary>
    public int M
    {
        get => _m;
        init => _m = value is >= HnswBuildOptions.MinM and <= HnswBuildOptions.MaxM ? value : throw new ArgumentOutOfRangeException(nameof(M), value, $"M must be between {HnswBuildOptions.MinM} and {HnswBuildOptions.MaxM}.");
    }

    /// <summary>Beam width while building the graph. Default 100.</summary>
    public int EfConstruction
    {
        get => _efConstruction;
        init => _efConstruction = value is >= HnswBuildOptions.MinEfConstruction and <= HnswBuildOptions.MaxEfConstruction ? value : throw new ArgumentOutOfRangeException(nameof(EfConstruction), value, $"EfConstruction must be between {HnswBuildOptions.MinEfConstruction} and {HnswBuildOptions.MaxEfConstruction}.");
    }

    /// <summary>Seed of the random level assignment, so that the same documents give the same graph.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>
    /// Threads that build a segment's graph at flush and merge: 0 (default) uses one per core, at most
    /// <see cref="MaxAutoBuildThreads"/>, for graphs of <see cref="ParallelBuildMinVectors"/> vectors or more and one
    /// below; 1 builds on the calling thread, deterministically (the same documents give the same graph); more sets
    /// the count (up to 64). Not recorded in the index.
    /// </summary>
    public int BuildThreads
    {
        get => _buildThreads;
        init => _buildThreads = value is >= 0 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(BuildThreads), value, "BuildThreads must be between 0 (one per core) and 64.");
    }

    /// <summary>Most threads an automatic (<see cref="BuildThreads"/> = 0) graph build uses.</summary>
    public const int MaxAutoBuildThreads = 4;

    /// <summary>Smallest graph an automatic (<see cref="BuildThreads"/> = 0) build spreads over threads: below it, the
    /// threads cost more than they save.</summary>
    public const int ParallelBuildMinVectors = 10_000;

    /// <summary>The threads a build of <paramref name="count"/> vectors uses under <see cref="BuildThreads"/>.</summary>
    internal int EffectiveBuildThreads(int count) => BuildThreads switch
    {
        0 => count >= ParallelBuildMinVectors ? Math.Clamp(Environment.ProcessorCount, 1, MaxAutoBuildThreads) : 1,
        var n => n,
    };

    /// <summary>How the graph walk reads the vectors: <see cref="VectorQuantization.None"/> (floats, the default) or
    /// <see cref="VectorQuantization.Int8"/> (7-bit scalar-quantized copies, parameters per segment, the best candidates
    /// re-scored with the floats, which are kept). Takes effect for segments written (or merged) from then on.</summary>
    public VectorQuantization Quantization
    {
        get => _quantization;
        init => _quantization = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Quantization), value, "Unknown vector quantization.");
    }

    /// <summary>Name of the embedder that produced the vectors (recorded in the index), or empty when unknown.</summary>
    public string Embedder
    {
        get => _embedder;
        init => _embedder = value ?? throw new ArgumentNullException(nameof(Embedder));
    }

    /// <summary>
    /// The one embedder-compatibility rule, used wherever vectors meet a field (query, pipeline, index options): the
    /// other vectors' embedder name, dimension and similarity must be this field's. An empty recorded name (unknown)
    /// accepts any name of the same dimension and similarity.
    /// </summary>
    /// <param name="field">The field's name, for the error.</param>
    /// <param name="embedder">Name of the embedder of the other vectors.</param>
    /// <param name="dimension">Their dimension.</param>
    /// <param name="similarity">Their similarity.</param>
    /// <param name="source">Words naming where they come from, e.g. "the query was embedded by".</param>
    /// <exception cref="EmbedderMismatchException">They do not fit the field.</exception>
    public void CheckEmbedder(string field, string embedder, int dimension, VectorSimilarity similarity, string source)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(source);
        if (dimension != Dimension || similarity != Similarity || Embedder.Length > 0 && !string.Equals(Embedder, embedder, StringComparison.Ordinal))
        {
            throw new EmbedderMismatchException(field, Describe(Embedder, Dimension, Similarity), Describe(embedder, dimension, similarity), source);
        }
    }

    private static string Describe(string embedder, int dimension, VectorSimilarity similarity) =>
        $"'{embedder}' ({dimension}-d, {similarity})";

    private readonly int _buildThreads;
    private readonly int _m = 16;
    private readonly int _efConstruction = 100;
    private readonly string _embedder = string.Empty;
    private readonly VectorQuantization _quantization = VectorQuantization.None;
}
