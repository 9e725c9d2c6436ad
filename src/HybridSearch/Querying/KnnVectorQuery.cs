using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using HybridSearch.Codecs;
using HybridSearch.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace HybridSearch.Querying;

/// <summary>
/// Finds the <c>k</c> documents whose vectors in a field are most similar to a target vector, optionally only among
/// documents matching a filter query. Usable alone or as a clause of a <see cref="BooleanQuery"/>.
/// </summary>
/// <remarks>
/// <para>Per segment it walks the HNSW graph with deleted and filtered-out documents excluded during the walk (they
/// are traversed but never returned), then the per-segment top k are merged by score. When fewer than about
/// <see cref="ExactSearchThreshold"/> documents are eligible in a segment, or when the walk has visited as many nodes
/// as there are eligible documents, the segment is searched exactly instead — so a filtered query returns
/// min(k, matching documents) hits.</para>
/// <para>Scores: cosine and dot product give (1 + similarity) / 2; Euclidean gives 1 / (1 + squared distance).</para>
/// <para>The work happens in <see cref="Rewrite"/>, which turns the query into a fixed set of documents and scores
/// for the reader it was rewritten against.</para>
/// </remarks>
/// <example>
/// <code>
/// var query = new KnnVectorQuery("image_vector", queryVector, k: 10, filter: new TermQuery(new Term("modality", "CT")));
/// TopDocs hits = searcher.Search(query, 10);
/// </code>
/// </example>
public sealed class KnnVectorQuery : Query
{
    /// <summary>Segments with at most this many eligible documents (or at most k) are searched exactly.</summary>
    public const int ExactSearchThreshold = 256;

    [ThreadStatic]
    private static HnswGraphSearcher? _threadSearcher;

    private readonly float[] _target;

    /// <summary>Creates the query.</summary>
    /// <param name="field">The vector field.</param>
    /// <param name="target">The query vector; copied. Must match the field's dimension and be finite.</param>
    /// <param name="k">Number of nearest documents to return (at least 1).</param>
    /// <param name="filter">Optional: only documents matching it are eligible.</param>
    /// <param name="ef">Beam width of the graph search; larger is more accurate and slower. Defaults to max(k, 64).</param>
    public KnnVectorQuery(string field, ReadOnlySpan<float> target, int k, Query? filter = null, int? ef = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (ef is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ef), ef, "ef must be at least 1.");
        }

        for (var i = 0; i < target.Length; i++)
        {
            if (!float.IsFinite(target[i]))
            {
                throw new InvalidVectorException(field, $"query vector component {i} is {target[i]}; vectors must be finite.");
            }
        }

        if (target.IsEmpty)
        {
            throw new InvalidVectorException(field, "the query vector is empty.");
        }

        Field = field;
        _target = target.ToArray();
        K = k;
        Filter = filter;
        Ef = Math.Max(ef ?? Math.Max(k, 64), k);
    }

    /// <summary>The vector field searched.</summary>
    public string Field { get; }

    /// <summary>The query vector as given.</summary>
    public ReadOnlyMemory<float> Target => _target;

    /// <summary>Number of nearest documents returned.</summary>
    public int K { get; }

    /// <summary>The filter, or null.</summary>
    public Query? Filter { get; }

    /// <summary>Beam width of the graph search (at least <see cref="K"/>).</summary>
    public int Ef { get; }

    /// <summary>On a segment whose field is int8-quantized, how many candidates per hit wanted the quantized graph walk
    /// keeps for re-scoring with the float vectors (k × this, at least k). Default 3; larger is more accurate and
    /// slower. Ignored for float segments.</summary>
    public float Oversample
    {
        get => _oversample;
        init => _oversample = value is >= 1f and <= 100f ? value : throw new ArgumentOutOfRangeException(nameof(Oversample), value, "Oversample must be between 1 and 100.");
    }

    private readonly float _oversample = 3f;

    /// <summary>When set, each segment's field must have been written by this embedder (and the query vector must have
    /// the field's dimension), else the search fails with <see cref="EmbedderMismatchException"/>
    /// (<see cref="VectorFieldOptions.CheckEmbedder"/>).</summary>
    public string? ExpectedEmbedder { get; init; }

    /// <summary>How many segments may be searched at once (default 1: one thread). Threads share the bound on the
    /// global top, so a parallel search does about the work of a sequential one, spread over more cores.</summary>
    public int SegmentParallelism
    {
        get => _segmentParallelism;
        init => _segmentParallelism = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SegmentParallelism), value, "SegmentParallelism must be at least 1.");
    }

    private readonly int _segmentParallelism = 1;

    /// <summary>Segments with at most this many eligible documents (or at most <see cref="K"/>) are searched exactly:
    /// every eligible vector scored, no graph walk. Default <see cref="ExactSearchThreshold"/>. A caller that needs the
    /// exact top of a deep window where exact is cheap raises it (the hybrid legs do, so that an index and its shards
    /// return the same window); segments larger than this keep the graph.</summary>
    public int ExactSearchMaxEligible { get; init; } = ExactSearchThreshold;

    /// <inheritdoc />
    /// <remarks>Segments small enough to search exactly go first (their exact scores seed the shared bound); the others
    /// are searched best entry first: each graph is descended to level 0, then the level-0 searches run in order of
    /// their entry's score, sharing the ef best similarities found so far (<see cref="SharedScoreBound"/>), so a
    /// segment that cannot contribute stops after a narrow walk instead of a full beam of width ef.</remarks>
    public override Query Rewrite(IndexReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var filterWeight = Filter is null ? null : new IndexSearcher(reader).CreateNormalizedWeight(Filter);
        float[]? normalisedTarget = null;
        var plans = new List<LeafPlan>();
        foreach (var leaf in reader.Leaves)
        {
            var values = VectorsOf(leaf.AtomicReader);
            if (values is null)
            {
                continue;
            }

            normalisedTarget ??= PrepareTarget(Field, _target, values.Options.Similarity);
            if (values.Options.Dimension != _target.Length)
            {
                throw new InvalidVectorException(Field, $"query vector has {_target.Length} components; the field's vectors have {values.Options.Dimension}.");
            }

            if (PlanLeaf(leaf, values, normalisedTarget, filterWeight) is { } plan)
            {
                plans.Add(plan);
            }
        }

        // The plans' scorers read the vectors in place from the mapped files: hold every segment's files until the
        // search is done (a reader closed meanwhile unmaps them only after the last lease is released).
        var leases = new List<HnswVectorValues.FileLease>(plans.Count);
        try
        {
            foreach (var plan in plans)
            {
                leases.Add(plan.Values.Acquire());
                plan.Prepare(normalisedTarget!);
            }

            return SearchPlans(reader, plans, normalisedTarget!);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            // The graph and vectors are used in place, unverified until CheckIndex: damage surfaces here.
            var damaged = plans.FirstOrDefault(p => p.Result is null) ?? plans[0];
            throw new CorruptIndexException($"Vector field '{Field}' of segment {damaged.Leaf.AtomicReader}: the graph or vectors in {damaged.Values.FileLocation} are damaged ({e.Message}); run 'hybridsearch check'.", e);
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }

    private Query SearchPlans(IndexReader reader, List<LeafPlan> plans, float[] target)
    {
        var shared = plans.Count > 1 ? new SharedScoreBound(Ef) : null;
        var searcher = _threadSearcher ??= new HnswGraphSearcher(0);
        foreach (var plan in plans)
        {
            if (plan.Exact)
            {
                plan.Result = ExactSearch(plan.Scorer, plan.Values.Count, plan.Accept, K);
                shared?.Offer(plan.Result.Value.Scores.AsSpan(0, plan.Result.Value.Count));
            }
            else
            {
                plan.Entry = plan.Quantized is { } quantized
                    ? searcher.FindEntry(plan.Values.Graph, quantized, plan.VisitLimit)
                    : searcher.FindEntry(plan.Values.Graph, plan.Scorer, plan.VisitLimit);
            }
        }

        var graphPlans = plans.Where(p => !p.Exact).OrderByDescending(p => p.Entry.Score).ThenBy(p => p.Leaf.Ord).ToArray();
        if (SegmentParallelism > 1 && graphPlans.Length > 1)
        {
            Parallel.ForEach(graphPlans, new ParallelOptions { MaxDegreeOfParallelism = SegmentParallelism }, plan =>
                SearchGraph(_threadSearcher ??= new HnswGraphSearcher(0), plan, shared));
        }
        else
        {
            foreach (var plan in graphPlans)
            {
                SearchGraph(searcher, plan, shared);
            }
        }

        RescueLostWalks(searcher, plans, graphPlans, target);

        var docs = new List<int>();
        var scores = new List<float>();
        foreach (var plan in plans)
        {
            var result = plan.Result!.Value;
            var docBase = plan.Leaf.DocBase;
            var similarity = plan.Values.Options.Similarity;
            var ordToDoc = plan.Values.OrdToDoc;
            var maxDoc = plan.Leaf.AtomicReader.MaxDoc;
            for (var i = 0; i < result.Count; i++)
            {
                var doc = ordToDoc[result.Ordinals[i]];
                if ((uint)doc >= (uint)maxDoc)
                {
                    throw new CorruptIndexException($"Vector field '{Field}' of segment {plan.Leaf.AtomicReader}: ordinal {result.Ordinals[i]} maps to document {doc}, outside the segment, in {plan.Values.FileLocation}.");
                }

                docs.Add(docBase + doc);
                scores.Add(ToScore(similarity, result.Scores[i]));
            }
        }

        return KnnScoreDocQuery.TopK(reader, docs, scores, K, Boost, this);
    }

    private void SearchGraph(HnswGraphSearcher searcher, LeafPlan plan, SharedScoreBound? shared)
    {
        // A walk offers what it finds to the shared bound as it goes (a quantized walk its int8 estimates, on the same
        // similarity scale); only a fallback to exact search offers its scores afterwards. The int8 walk keeps
        // k x Oversample candidates (its scores are estimates), re-scored with the floats.
        var walk = plan.Quantized is { } quantized
            ? searcher.SearchFrom(plan.Values.Graph, quantized, plan.Entry, QuantizedCandidates, Math.Max(Ef, QuantizedCandidates), plan.Accept, plan.VisitLimit, shared)
            : searcher.SearchFrom(plan.Values.Graph, plan.Scorer, plan.Entry, K, Ef, plan.Accept, plan.VisitLimit, shared);
        Complete(plan, walk, shared);
    }

    /// <summary>Turns a graph walk into the plan's result: an int8 walk's candidates re-scored with the floats, a walk
    /// that hit the visit limit replaced by exact search (for a float field its scores then go to the shared bound).</summary>
    private void Complete(LeafPlan plan, HnswSearchResult walk, SharedScoreBound? shared)
    {
        plan.Walk = walk;
        if (plan.Quantized is not null)
        {
            plan.Result = walk.Incomplete ? ExactSearch(plan.Scorer, plan.Values.Count, plan.Accept, K) : Rescore(plan.Scorer, walk);
            return;
        }

        var result = walk;
        if (walk.Incomplete)
        {
            result = ExactSearch(plan.Scorer, plan.Values.Count, plan.Accept, K);
            shared?.Offer(result.Scores.AsSpan(0, result.Count));
        }

        plan.Result = result;
    }

    private int QuantizedCandidates => Math.Max(K, (int)Math.Ceiling(K * Oversample));

    /// <summary>
    /// When the best hit of every segment together is no better than what the query scores against unrelated vectors
    /// by chance (<see cref="SimilarityBackground.Explains"/>, judged on the largest graph's background over all the
    /// eligible vectors), the walks had no gradient to follow — data in many well-separated clusters, none nearer the
    /// query than another — and each graph walk is searched again from the best of its level-1 nodes
    /// (<see cref="HnswGraphSearcher.Rescue{TScorer}"/>). Found neighbourhoods stand far above that line, so the usual
    /// query pays nothing but the descent's running sums.
    /// </summary>
    private void RescueLostWalks(HnswGraphSearcher searcher, List<LeafPlan> plans, LeafPlan[] graphPlans, float[] target)
    {
        // Only a finished walk can be searched again (one that hit its visit limit was answered exactly already).
        if (!graphPlans.Any(plan => plan.Walk is { Incomplete: false }))
        {
            return;
        }

        var best = float.NegativeInfinity;
        var population = 0;
        LeafPlan? largest = null;
        foreach (var plan in plans)
        {
            // The walks chose among the eligible vectors only: a filtered query's best hit is the best of those, and
            // the best of 500 strangers scores lower by chance than the best of 50,000.
            population += plan.Eligible;
            // Results hold the walks' own similarity scale (raw, before ToScore).
            if (plan.Result is { Count: > 0 } result)
            {
                best = Math.Max(best, result.Scores[0]);
            }

            if (!plan.Exact && (largest is null || plan.Values.Count > largest.Values.Count))
            {
                largest = plan;
            }
        }

        var lost = largest!.Quantized is { } probe
            ? searcher.LooksLost(largest.Values.Graph, probe, best, largest.Entry.Background, population)
            : searcher.LooksLost(largest.Values.Graph, largest.Scorer, best, largest.Entry.Background, population);
        if (!lost)
        {
            return;
        }

        foreach (var plan in graphPlans)
        {
            if (plan.Walk is not { Incomplete: false } walk)
            {
                continue;
            }

            var again = plan.Quantized is { } quantized
                ? searcher.Rescue(plan.Values.Graph, quantized, walk, QuantizedCandidates, Math.Max(Ef, QuantizedCandidates), plan.Accept, plan.VisitLimit, plan.Values.Sketch, target)
                : searcher.Rescue(plan.Values.Graph, plan.Scorer, walk, K, Ef, plan.Accept, plan.VisitLimit, plan.Values.Sketch, target);
            Complete(plan, again, null);
        }
    }

    /// <summary>The best <see cref="K"/> of a quantized walk's candidates by their exact float similarity.</summary>
    private HnswSearchResult Rescore(UnmanagedFloatQueryScorer scorer, HnswSearchResult approximate)
    {
        var heap = new TopKHeap(K);
        for (var i = 0; i < approximate.Count; i++)
        {
            heap.Offer(approximate.Ordinals[i], scorer.Score(approximate.Ordinals[i]));
        }

        var (ordinals, scores) = heap.DrainBestFirst();
        return new HnswSearchResult(ordinals, scores, ordinals.Length, approximate.Visited + approximate.Count, false);
    }

    /// <summary>One segment's part of the search: its eligible ordinals, whether it is searched exactly, and its
    /// scorers (float, and int8 for a quantized field's walk), made once the segment's files are leased.</summary>
    private sealed class LeafPlan(AtomicReaderContext leaf, HnswVectorValues values, ulong[]? accept, int eligible, bool exact, int visitLimit)
    {
        public AtomicReaderContext Leaf { get; } = leaf;

        public HnswVectorValues Values { get; } = values;

        public UnmanagedFloatQueryScorer Scorer { get; private set; }

        public Int8QueryScorer? Quantized { get; private set; }

        public ulong[]? Accept { get; } = accept;

        /// <summary>Vectors the filter and live documents leave to choose among.</summary>
        public int Eligible { get; } = eligible;

        public bool Exact { get; } = exact;

        public int VisitLimit { get; } = visitLimit;

        public HnswEntry Entry { get; set; }

        public HnswSearchResult? Result { get; set; }

        /// <summary>The graph walk's own result (for an int8 field: its estimates, before re-scoring).</summary>
        public HnswSearchResult? Walk { get; set; }

        public void Prepare(float[] target)
        {
            Scorer = Values.FloatScorer(target);
            Quantized = !Exact && Values.Quantizer is not null ? Values.QuantizedScorer(target) : null;
        }
    }

    private HnswVectorValues? VectorsOf(AtomicReader reader)
    {
        var info = reader.FieldInfos.FieldInfo(Field);
        if (info is null || info.DocValuesType != DocValuesType.BINARY)
        {
            return null;
        }

        var values = reader.GetBinaryDocValues(Field) as HnswVectorValues
            ?? throw new InvalidOperationException($"Field '{Field}' in segment {reader} is not a vector field written by {HybridCodec.CodecName}; open the IndexWriter with a HybridCodec that declares it.");
        if (ExpectedEmbedder is not null)
        {
            values.Options.CheckEmbedder(Field, ExpectedEmbedder, _target.Length, values.Options.Similarity, "the query was embedded by");
        }

        return values;
    }

    /// <summary>The query vector as the field stores vectors: L2-normalised for cosine, as given otherwise.</summary>
    /// <exception cref="InvalidVectorException">A zero vector for a cosine field.</exception>
    internal static float[] PrepareTarget(string field, float[] target, VectorSimilarity similarity)
    {
        if (similarity != VectorSimilarity.Cosine)
        {
            return target;
        }

        if (TensorPrimitives.Norm(target) == 0f)
        {
            throw new InvalidVectorException(field, "the query vector is all zeros, which has no direction for cosine similarity.");
        }

        var copy = (float[])target.Clone();
        VectorNormalization.NormalizeInPlace(copy);
        return copy;
    }

    private LeafPlan? PlanLeaf(AtomicReaderContext leaf, HnswVectorValues values, float[] target, Weight? filterWeight)
    {
        var reader = leaf.AtomicReader;
        var liveDocs = reader.LiveDocs;
        ulong[]? accept = null;
        int eligible;
        if (filterWeight is not null)
        {
            var filterScorer = filterWeight.GetScorer(leaf, liveDocs);
            if (filterScorer is null)
            {
                return null;
            }

            (accept, eligible) = AcceptFromIterator(filterScorer, values);
        }
        else if (liveDocs is not null)
        {
            (accept, eligible) = AcceptLive(liveDocs, values);
        }
        else
        {
            eligible = values.Count;
        }

        if (eligible == 0)
        {
            return null;
        }

        var exact = eligible <= Math.Max(K, ExactSearchMaxEligible);
        return new LeafPlan(leaf, values, accept, eligible, exact, accept is null ? int.MaxValue : eligible);
    }

    private static (ulong[] Accept, int Eligible) AcceptFromIterator(DocIdSetIterator iterator, HnswVectorValues values)
    {
        var accept = new ulong[(values.Count + 63) >> 6];
        var docToOrd = values.DocToOrd;
        var eligible = 0;
        for (var doc = iterator.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.NextDoc())
        {
            var ord = docToOrd[doc];
            if (ord >= 0)
            {
                accept[ord >> 6] |= 1UL << ord;
                eligible++;
            }
        }

        return (accept, eligible);
    }

    // Per segment's live docs, per vector field (each field has its own ordinals), the ordinal mask of live documents.
    private static readonly ConditionalWeakTable<IBits, ConditionalWeakTable<HnswVectorValues, Tuple<ulong[], int>>> LiveAcceptCache = new();

    private static (ulong[] Accept, int Eligible) AcceptLive(IBits liveDocs, HnswVectorValues values)
    {
        // Live docs of a segment reader are immutable, so the mask is computed once per reader and field, then reused.
        var byField = LiveAcceptCache.GetValue(liveDocs, static _ => new ConditionalWeakTable<HnswVectorValues, Tuple<ulong[], int>>());
        var cached = byField.GetValue(values, field =>
        {
            var accept = new ulong[(field.Count + 63) >> 6];
            var eligible = 0;
            for (var ord = 0; ord < field.Count; ord++)
            {
                if (liveDocs.Get(field.OrdToDoc[ord]))
                {
                    accept[ord >> 6] |= 1UL << ord;
                    eligible++;
                }
            }

            return Tuple.Create(accept, eligible);
        });
        return (cached.Item1, cached.Item2);
    }

    /// <summary>
    /// An int8 segment: the graph walk scores the quantized vectors for k × <see cref="Oversample"/> candidates (beam
    /// at least that wide), then those candidates are re-scored with the float vectors and the best k kept, so the
    /// returned scores are exact.
    /// </summary>
    internal static HnswSearchResult ExactSearch<TScorer>(TScorer scorer, int count, ulong[]? accept, int k)
        where TScorer : struct, IHnswQueryScorer
    {
        var heap = new TopKHeap(k);
        for (var ord = 0; ord < count; ord++)
        {
            if (accept is null || (accept[ord >> 6] & (1UL << ord)) != 0)
            {
                heap.Offer(ord, scorer.Score(ord));
            }
        }

        var (ordinals, sorted) = heap.DrainBestFirst();
        return new HnswSearchResult(ordinals, sorted, ordinals.Length, count, false);
    }

    /// <summary>Maps the graph's similarity (higher is better) to a non-negative Lucene score.</summary>
    internal static float ToScore(VectorSimilarity similarity, float raw) => similarity switch
    {
        VectorSimilarity.Euclidean => 1f / (1f - raw), // raw is minus the squared distance
        _ => Math.Max((1f + raw) / 2f, 0f),
    };

    /// <inheritdoc />
    public override string ToString(string field) =>
        $"KnnVectorQuery({Field}, dim={_target.Length}, k={K}, ef={Ef}{(Filter is null ? string.Empty : ", filter=" + Filter.ToString(field))})";

    /// <inheritdoc />
    public override bool Equals(object? obj) =>
        obj is KnnVectorQuery other && base.Equals(other) && Field == other.Field && K == other.K && Ef == other.Ef
        && _target.AsSpan().SequenceEqual(other._target) && Equals(Filter, other.Filter) && ExpectedEmbedder == other.ExpectedEmbedder
        && Oversample == other.Oversample && ExactSearchMaxEligible == other.ExactSearchMaxEligible;

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(base.GetHashCode());
        hash.Add(Field);
        hash.Add(K);
        hash.Add(Ef);
        foreach (var x in _target)
        {
            hash.Add(x);
        }

        hash.Add(Filter);
        return hash.ToHashCode();
    }
}
