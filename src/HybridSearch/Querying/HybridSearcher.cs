using System.Diagnostics;
using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>
/// Searches a <see cref="HybridIndex"/> with hybrid queries: the legs the query has input for (lexical BM25,
/// semantic text kNN, visual kNN, transcript BM25) run concurrently on one point-in-time searcher, each with the same
/// filter applied inside it; each leg's hits are grouped by parent record (best child wins and is remembered); the
/// legs are fused by <see cref="ScoreFusion"/>; the requested page is cut from the fused list and explained.
/// Thread-safe: one instance serves any number of concurrent queries, also while the index is being written; a query
/// sees the index as of its last <see cref="HybridIndex.Refresh"/>.
/// </summary>
/// <remarks>
/// The searcher borrows the embedders (it does not dispose them); their ONNX sessions are reused by every query.
/// A query vector is only compared with a field whose recorded embedder (name and dimension) is the one that embedded
/// the query; otherwise the search fails with <see cref="EmbedderMismatchException"/>. CLIP plugs into the visual leg:
/// with <see cref="ClipTextEmbedder"/> set, the query text is also embedded into CLIP's space and searched against
/// <see cref="IndexFieldNames.ClipImageVector"/>; with <see cref="ClipImageEmbedder"/> set, query images are too.
/// </remarks>
/// <example>
/// <code>
/// using var index = HybridIndex.Open("my-index");
/// using var text = new MiniLMTextEmbedder();
/// using var images = new ResNet18ImageEmbedder();
/// var searcher = new HybridSearcher(index, text, images);
/// var results = await searcher.SearchAsync(
///     HybridQuery.ForText("red bicycle").WithFilter(SearchFilter.None.WithKeyword("colour", "red")),
///     HybridSearchOptions.Default.WithExplanations());
/// foreach (var hit in results.Hits) Console.WriteLine($"{hit.Rank} {hit.RecordId} {hit.Score:F4} {hit.Snippet}");
/// </code>
/// </example>
public sealed partial class HybridSearcher
{
    // Title + text live in one combined field, which measured better than separate fields (see IndexFieldNames.Content).
    private static readonly string[] LexicalFields = [IndexFieldNames.Content, IndexFieldNames.Caption];
    private static readonly string[] TranscriptFields = [IndexFieldNames.Transcript];

    private readonly HybridIndex _index;
    private readonly BoundedImageDecoder _decoder;
    private readonly SearchHitDescriber _describer;

    /// <summary>Creates a searcher over <paramref name="index"/>.</summary>
    /// <param name="index">The index (not owned).</param>
    /// <param name="textEmbedder">Embeds query text for <see cref="SearchLeg.SemanticText"/> (the embedder of
    /// <see cref="IndexFieldNames.TextVector"/>, e.g. <see cref="MiniLMTextEmbedder"/>); null disables that leg.</param>
    /// <param name="imageEmbedder">Embeds query images for <see cref="SearchLeg.Visual"/> (the embedder of
    /// <see cref="IndexFieldNames.ImageVector"/>, e.g. <see cref="ResNet18ImageEmbedder"/>); null disables it.</param>
    /// <param name="defaultOptions">Options used when a search passes none; <see cref="HybridSearchOptions.Default"/> when null.</param>
    /// <param name="imageDecoder">Decodes query images; a default <see cref="BoundedImageDecoder"/> when null.</param>
    public HybridSearcher(
        HybridIndex index,
        ITextEmbedder? textEmbedder = null,
        IImageEmbedder? imageEmbedder = null,
        HybridSearchOptions? defaultOptions = null,
        BoundedImageDecoder? imageDecoder = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        TextEmbedder = textEmbedder;
        ImageEmbedder = imageEmbedder;
        DefaultOptions = defaultOptions ?? HybridSearchOptions.Default;
        _decoder = imageDecoder ?? new BoundedImageDecoder();
        _describer = new SearchHitDescriber(index);
    }

    /// <summary>The embedder of query text for the semantic text leg, or null.</summary>
    public ITextEmbedder? TextEmbedder { get; }

    /// <summary>The embedder of query images for <see cref="IndexFieldNames.ImageVector"/>, or null.</summary>
    public IImageEmbedder? ImageEmbedder { get; }

    /// <summary>A CLIP text encoder: query text → CLIP vector → kNN on <see cref="IndexFieldNames.ClipImageVector"/>
    /// inside the visual leg. Null (the default) leaves text out of the visual leg.</summary>
    public ITextEmbedder? ClipTextEmbedder { get; init; }

    /// <summary>A CLIP image encoder: query images → kNN on <see cref="IndexFieldNames.ClipImageVector"/> inside the
    /// visual leg, next to <see cref="ImageEmbedder"/>'s probes. Null leaves it out.</summary>
    public IImageEmbedder? ClipImageEmbedder { get; init; }

    /// <summary>Options used when a search passes none.</summary>
    public HybridSearchOptions DefaultOptions { get; }

    /// <summary>Runs a hybrid query and returns one page of fused results.</summary>
    /// <param name="query">What to search for.</param>
    /// <param name="options">Paging, windows, weights, fusion; <see cref="DefaultOptions"/> when null.</param>
    /// <param name="cancellationToken">Stops embedding and the legs between steps.</param>
    /// <exception cref="InvalidHybridQueryException">Nothing to search for, images without an image embedder, or a
    /// filter whose kind disagrees with the index.</exception>
    /// <exception cref="EmbedderMismatchException">A vector field was written by another embedder than the query's.</exception>
    /// <exception cref="MediaDecodeException">A query image cannot be read or decoded.</exception>
    /// <exception cref="IndexCorruptException">The index's files are damaged; the message names them.</exception>
    public async Task<HybridSearchResults> SearchAsync(HybridQuery query, HybridSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            return await SearchCoreAsync(query, options ?? DefaultOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_index.TranslateCorruption(exception) is { } corrupt)
        {
            throw corrupt;
        }
    }

    private async Task<HybridSearchResults> SearchCoreAsync(HybridQuery query, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        cancellationToken.ThrowIfCancellationRequested();
        options = WithIndexProfile(options);
        using var lease = _index.AcquireSearcher();
        var searcher = lease.Searcher;
        var (outcomes, ranked) = await RunLegsAsync(query, options, searcher, cancellationToken).ConfigureAwait(false);
        var fused = ScoreFusion.Fuse(ranked, options.Fusion);
        var page = ScoreFusion.Page(fused, options.Offset, options.PageSize);

        var byLeg = outcomes.ToDictionary(o => o.Leg);
        var snippetQuery = byLeg.TryGetValue(SearchLeg.Lexical, out var lexical) ? lexical.Bm25Query
            : byLeg.TryGetValue(SearchLeg.Transcript, out var transcript) ? transcript.Bm25Query
            : query.Text is null ? null : ParseBm25(query.Text, LexicalFields);
        var hits = new List<SearchHit>(page.Count);
        foreach (var hit in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hits.Add(_describer.Describe(searcher, hit, byLeg, options, snippetQuery));
        }

        return new HybridSearchResults(
            hits,
            fused.Count,
            options.Offset,
            options.PageSize,
            outcomes.ToDictionary(o => o.Leg, o => o.Window),
            options.Fusion,
            outcomes.Select(o => new LegTiming(o.Leg, o.Embedding, o.Search, o.Candidates.Count)).ToList(),
            watch.Elapsed)
        {
            LegSignals = options.Explain ? ScoreFusion.Signals(ranked, options.Fusion) : [],
        };
    }

    /// <summary>
    /// Runs the legs of a query and returns them as the ranked lists fusion takes, before fusion: what
    /// <see cref="FusionTuner"/> fits a profile on (each query's legs computed once, re-fused in memory).
    /// </summary>
    /// <param name="query">What to search for.</param>
    /// <param name="options">Windows, weights, minimum scores; <see cref="DefaultOptions"/> when null.</param>
    /// <param name="cancellationToken">Stops embedding and the legs between steps.</param>
    /// <returns>One ranked leg per leg that ran, in <see cref="SearchLeg"/> order, named after the leg.</returns>
    /// <exception cref="InvalidHybridQueryException">As <see cref="SearchAsync"/>.</exception>
    /// <exception cref="EmbedderMismatchException">As <see cref="SearchAsync"/>.</exception>
    /// <exception cref="MediaDecodeException">As <see cref="SearchAsync"/>.</exception>
    /// <exception cref="IndexCorruptException">As <see cref="SearchAsync"/>.</exception>
    public async Task<IReadOnlyList<RankedLeg>> RankLegsAsync(HybridQuery query, HybridSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            using var lease = _index.AcquireSearcher();
            var (_, ranked) = await RunLegsAsync(query, WithIndexProfile(options ?? DefaultOptions), lease.Searcher, cancellationToken).ConfigureAwait(false);
            return ranked;
        }
        catch (Exception exception) when (_index.TranslateCorruption(exception) is { } corrupt)
        {
            throw corrupt;
        }
    }

    /// <summary>The options with the index's stored fusion profile applied, unless they opt out or there is none.</summary>
    /// <exception cref="HybridSearchException">The stored profile cannot be read.</exception>
    private HybridSearchOptions WithIndexProfile(HybridSearchOptions options)
    {
        if (!options.UseIndexProfile || _index.FusionProfileJson is not { } json)
        {
            return options;
        }

        var cached = _profile;
        if (cached is null || !ReferenceEquals(cached.Json, json))
        {
            try
            {
                cached = new StoredProfile(json, FusionProfile.FromJson(json));
            }
            catch (FormatException e)
            {
                throw new HybridSearchException($"Index '{_index.Path}': its stored fusion profile cannot be read ({e.Message}); search with the default fusion or run 'hybridsearch tune' again.", e);
            }

            _profile = cached;
        }

        return options.WithFusionProfile(cached.Profile);
    }

    private StoredProfile? _profile;

    /// <summary>The index's profile JSON and its parsed form, parsed once per stored text.</summary>
    private sealed record StoredProfile(string Json, FusionProfile Profile);

    private async Task<(LegOutcome[] Outcomes, List<RankedLeg> Ranked)> RunLegsAsync(HybridQuery query, HybridSearchOptions options, IndexSearcher searcher, CancellationToken cancellationToken)
    {
        if (query.Text is null && query.SemanticText is null && query.Images.Count == 0)
        {
            throw new InvalidHybridQueryException("query", "it has no text and no images, so there is nothing to search for.");
        }

        if (query.Images.Count > 0 && ImageEmbedder is null && ClipImageEmbedder is null)
        {
            throw new InvalidHybridQueryException($"query images ({string.Join(", ", query.Images)})", "the searcher has no image embedder; pass one to the HybridSearcher constructor.");
        }

        var filter = query.Filter.ToLuceneQuery(_index);
        var legs = Plan(query, options, searcher, filter, cancellationToken);

        // Each leg on its own thread-pool task: BM25 legs and kNN legs (with their query embedding) overlap.
        var outcomes = await Task.WhenAll(legs.Select(run => Task.Run(run, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        Array.Sort(outcomes, static (a, b) => a.Leg.CompareTo(b.Leg));

        var ranked = outcomes.Select(o =>
        {
            var (floor, ceiling) = ScoreBounds(searcher, o, options.Fusion.Method);
            return new RankedLeg(
                SearchLegNames.Of(o.Leg),
                o.Candidates.Select(c => new LegHit(c.RecordId, c.Score)).ToList(),
                options.WeightOf(o.Leg),
                options.MinScores.TryGetValue(o.Leg, out var min) ? min : null,
                theoreticalMinScore: floor,
                theoreticalMaxScore: ceiling,
                queryInput: QueryInputOf(o.Leg, query),
                searchedContent: SearchedContentOf(o.Leg));
        }).ToList();
        return (outcomes, ranked);
    }

    private List<Func<LegOutcome>> Plan(HybridQuery query, HybridSearchOptions options, IndexSearcher searcher, Query? filter, CancellationToken cancellationToken)
    {
        var legs = new List<Func<LegOutcome>>();
        var text = query.Text;
        var semanticText = query.EffectiveSemanticText;
        if (text is not null && options.Allows(SearchLeg.Lexical))
        {
            var bm25 = ParseBm25(text, LexicalFields);
            legs.Add(() => RunBm25(SearchLeg.Lexical, searcher, bm25, filter, options.WindowOf(SearchLeg.Lexical)));
        }

        if (semanticText is not null && options.Allows(SearchLeg.SemanticText) && TextEmbedder is not null
            && CheckEmbedder(IndexFieldNames.TextVector, TextEmbedder.Info))
        {
            var embedder = TextEmbedder;
            legs.Add(() => RunSemantic(searcher, embedder, semanticText, filter, options, cancellationToken));
        }

        if (options.Allows(SearchLeg.Visual))
        {
            var probes = new List<VisualProbe>();
            if (query.Images.Count > 0 && ImageEmbedder is not null && CheckEmbedder(IndexFieldNames.ImageVector, ImageEmbedder.Info))
            {
                probes.Add(new VisualProbe(IndexFieldNames.ImageVector, ImageEmbedder, null));
            }

            if (query.Images.Count > 0 && ClipImageEmbedder is not null && CheckEmbedder(IndexFieldNames.ClipImageVector, ClipImageEmbedder.Info))
            {
                probes.Add(new VisualProbe(IndexFieldNames.ClipImageVector, ClipImageEmbedder, null));
            }

            if (semanticText is not null && ClipTextEmbedder is not null && CheckEmbedder(IndexFieldNames.ClipImageVector, ClipTextEmbedder.Info))
            {
                probes.Add(new VisualProbe(IndexFieldNames.ClipImageVector, null, ClipTextEmbedder));
            }

            if (probes.Count > 0)
            {
                legs.Add(() => RunVisual(searcher, query, probes, filter, options, cancellationToken));
            }
        }

        if (text is not null && options.Allows(SearchLeg.Transcript))
        {
            var bm25 = ParseBm25(text, TranscriptFields);
            legs.Add(() => RunBm25(SearchLeg.Transcript, searcher, bm25, filter, options.WindowOf(SearchLeg.Transcript)));
        }

        return legs;
    }

    /// <summary>
    /// Which part of the query a leg answers, for corroboration: the visual leg answers the query images when there
    /// are any (with CLIP and no images it answers the text); every other leg answers the text.
    /// </summary>
    private static string QueryInputOf(SearchLeg leg, HybridQuery query) =>
        leg == SearchLeg.Visual && query.Images.Count > 0 ? "image" : "text";

    /// <summary>
    /// What a leg searches, for corroboration: the lexical and semantic legs are two estimates of the same record text
    /// (rivals); transcripts and images are other content, complementary to it.
    /// </summary>
    private static string SearchedContentOf(SearchLeg leg) => leg switch
    {
        SearchLeg.Lexical or SearchLeg.SemanticText => "record text",
        SearchLeg.Transcript => "transcripts",
        _ => "images",
    };

    /// <summary>False when the index has no such field (nothing to search); throws when it was written by another model.</summary>
    private bool CheckEmbedder(string field, EmbedderInfo info)
    {
        if (!_index.VectorFields.TryGetValue(field, out var stored))
        {
            return false;
        }

        stored.CheckEmbedder(field, info.Name, info.Dimension, info.Similarity, "the query was embedded by");
        return true;
    }

    /// <summary>
    /// The range a leg's scores live in, for score-based fusion. kNN legs score (1 + cosine) / 2: the ceiling is 1
    /// and, for <see cref="FusionMethod.BoundedScore"/>, the floor is what an unrelated document scores for this query
    /// vector in this index (<see cref="KnnBackground"/>; cosine 0 when unknown). BM25 legs: floor 0, ceiling the
    /// score of a full match of the query (see <see cref="Bm25Ceiling"/>).
    /// </summary>
    private (float Floor, float Ceiling) ScoreBounds(IndexSearcher searcher, LegOutcome outcome, FusionMethod method)
    {
        var best = outcome.Candidates.Count == 0 ? 0f : outcome.Candidates.Max(c => c.Score);
        if (outcome.Bm25Query is null)
        {
            var floor = method == FusionMethod.BoundedScore ? Math.Min(outcome.ScoreFloor ?? 0.5f, 0.999f * Math.Max(1f, best)) : 0f;
            return (floor, Math.Max(1f, best));
        }

        var ceiling = Bm25Ceiling(searcher, outcome.Bm25Query);
        return (0f, Math.Max(Math.Max(ceiling, best), 1e-6f));
    }

    /// <summary>
    /// The BM25 score that stands for "matches the whole query": per field, Σ over the query's distinct terms of
    /// idf(t) — the score of a document of average length containing every query term once (for queries of more than
    /// <see cref="LongQueryTerms"/> terms, scaled by √(LongQueryTerms / n)) — and the largest field's value, since a document is either a record (content) or an image (caption). Normalised by it, a BM25 score reads
    /// roughly as the share of the query's evidence a document holds (repeated terms can pass 1 and are clamped), on a
    /// scale comparable with a cosine similarity; a document matching only a common word of the query scores a small
    /// fraction, however it ranks within its leg.
    /// </summary>
    private float Bm25Ceiling(IndexSearcher searcher, Query query)
    {
        var terms = new HashSet<Term>();
        try
        {
            searcher.Rewrite(query).ExtractTerms(terms);
        }
        catch (NotSupportedException)
        {
            return 0f; // A query type without terms to extract (rare); the caller falls back to the window's best.
        }

        var perField = new Dictionary<string, (double Sum, int Terms)>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            // The same statistics FieldScopedBm25Similarity scores with: documents that have the field.
            var stats = searcher.CollectionStatistics(term.Field);
            var docs = stats is { DocCount: > 0 } ? stats.DocCount : stats?.MaxDoc ?? searcher.IndexReader.MaxDoc;
            // Through the searcher, so a searcher that supplies global (all-shard) statistics is honoured.
            var df = searcher.TermStatistics(term, TermContext.Build(searcher.TopReaderContext, term)).DocFreq;
            var idf = Math.Log(1 + (docs - df + 0.5) / (df + 0.5));
            var (sum, count) = perField.GetValueOrDefault(term.Field);
            perField[term.Field] = (sum + idf, count + 1);
        }

        // Beyond LongQueryTerms terms the ceiling grows as √n, not n (mean idf × √(LongQueryTerms · n)): no document
        // holds a long question's every word, and the share of it that relevant documents do hold falls as the question
        // grows. Without this a 25-word question's best match read as weak as one common word of an off-topic phrase.
        return perField.Count == 0 ? 0f : (float)perField.Values.Max(f => f.Sum * Math.Min(1.0, Math.Sqrt(LongQueryTerms / (double)f.Terms)));
    }

    /// <summary>Query length (distinct terms in a field) up to which a full BM25 match means holding every term once;
    /// chosen on MED, CISI and Cranfield with the <c>fusion</c> benchmark (8–15 measured alike, 12 best overall).</summary>
    private const int LongQueryTerms = 12;

    /// <summary>Turns keywords into a BM25 query over <paramref name="fields"/> with the index's analyzer: Lucene
    /// syntax when the text uses it, plain words otherwise (<see cref="LexicalQueryBuilder.BuildSearchBoxQuery"/>).</summary>
    private Query ParseBm25(string text, string[] fields) => new LexicalQueryBuilder(_index.Analyzer, fields).BuildSearchBoxQuery(text);

    private static LegOutcome RunBm25(SearchLeg leg, IndexSearcher searcher, Query query, Query? filter, int window)
    {
        var watch = Stopwatch.StartNew();
        var luceneFilter = filter is null ? null : new QueryWrapperFilter(filter);
        var candidates = RecordGrouping.GroupDeepening(searcher, window, maxDepth: null, depth =>
        {
            var top = searcher.Search(query, luceneFilter, depth);
            return (top.ScoreDocs, top.TotalHits <= depth);
        });
        return new LegOutcome(leg, candidates, query, window, TimeSpan.Zero, watch.Elapsed);
    }

    private static LegOutcome RunSemantic(IndexSearcher searcher, ITextEmbedder embedder, string text, Query? filter, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var vector = embedder.Embed([text], cancellationToken)[0];
        cancellationToken.ThrowIfCancellationRequested();
        var embedding = watch.Elapsed;
        watch.Restart();
        var window = options.WindowOf(SearchLeg.SemanticText);
        var candidates = Knn(searcher, IndexFieldNames.TextVector, vector, embedder.Info.Name, filter, window, options.KnnEf);
        var floor = KnnBackground.Score(searcher, IndexFieldNames.TextVector, vector);
        return new LegOutcome(SearchLeg.SemanticText, candidates, null, window, embedding, watch.Elapsed, floor, [(IndexFieldNames.TextVector, vector)]);
    }

    private LegOutcome RunVisual(IndexSearcher searcher, HybridQuery query, List<VisualProbe> probes, Query? filter, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var vectors = new List<(string Field, string Embedder, float[] Vector)>();
        if (probes.Any(p => p.Images is not null) && query.Images.All(i => i.Embeddings is not null))
        {
            // Embedded already, by a sharded index's coordinator: the shard has the vectors, not the files.
            foreach (var probe in probes.Where(p => p.Images is not null))
            {
                vectors.AddRange(query.Images.Select(i => (probe.Field, probe.Images!.Info.Name, i.Embeddings!.TryGetValue(probe.Field, out var v) ? v
                    : throw new InvalidHybridQueryException($"query image '{i.Name}'", $"it was sent without a vector for field '{probe.Field}'."))));
            }
        }
        else if (probes.Any(p => p.Images is not null))
        {
            var decoded = query.Images.Select(i => i.DecodeAsync(_decoder, cancellationToken).GetAwaiter().GetResult()).ToList();
            try
            {
                var images = decoded.Select(d => d.Image).ToList();
                foreach (var probe in probes.Where(p => p.Images is not null))
                {
                    vectors.AddRange(probe.Images!.Embed(images, cancellationToken).Select(v => (probe.Field, probe.Images.Info.Name, v)));
                }
            }
            finally
            {
                decoded.ForEach(d => d.Dispose());
            }
        }

        foreach (var probe in probes.Where(p => p.Text is not null))
        {
            vectors.Add((probe.Field, probe.Text!.Info.Name, probe.Text.Embed([query.EffectiveSemanticText!], cancellationToken)[0]));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var embedding = watch.Elapsed;
        watch.Restart();
        var window = options.WindowOf(SearchLeg.Visual);
        var combined = new Dictionary<string, LegCandidate>(StringComparer.Ordinal);
        float? floor = null;
        foreach (var (field, embedder, vector) in vectors)
        {
            // Max combination: the floor of the most generous probe; Sum: the probes' floors add up like their scores.
            if (KnnBackground.Score(searcher, field, vector) is float background)
            {
                floor = options.ImageCombination == MultiImageCombination.Sum ? (floor ?? 0f) + background : Math.Max(floor ?? 0f, background);
            }

            foreach (var candidate in Knn(searcher, field, vector, embedder, filter, window, options.KnnEf))
            {
                if (!combined.TryGetValue(candidate.RecordId, out var previous))
                {
                    combined[candidate.RecordId] = candidate;
                }
                else if (options.ImageCombination == MultiImageCombination.Sum)
                {
                    var best = candidate.Score > previous.Score ? candidate : previous;
                    combined[candidate.RecordId] = best with { Score = previous.Score + candidate.Score };
                }
                else if (candidate.Score > previous.Score)
                {
                    combined[candidate.RecordId] = candidate;
                }
            }
        }

        var candidates = combined.Values.ToList();
        RecordGrouping.SortBestFirst(candidates);
        RecordGrouping.Trim(candidates, window);
        return new LegOutcome(SearchLeg.Visual, candidates, null, window, embedding, watch.Elapsed, floor, vectors.Select(v => (v.Field, v.Vector)).ToList());
    }

    /// <summary>Filtered kNN grouped by record: asks for twice the window in documents and deepens while records
    /// share documents and more may exist.</summary>
    private static List<LegCandidate> Knn(IndexSearcher searcher, string field, float[] vector, string embedder, Query? filter, int window, int? ef)
    {
        var maxDoc = Math.Max(searcher.IndexReader.MaxDoc, 1);
        return RecordGrouping.GroupDeepening(searcher, window, maxDoc, k =>
        {
            var top = searcher.Search(new KnnVectorQuery(field, vector, k, filter, ef) { ExpectedEmbedder = embedder, ExactSearchMaxEligible = ExactLegSearchMaxEligible(k, ef) }, k);
            return (top.ScoreDocs, top.ScoreDocs.Length < k);
        });
    }

    /// <summary>
    /// Up to how many eligible vectors a segment is searched exactly by a kNN leg: <see cref="ExactLegSearchBeamFactor"/>
    /// times the walk's beam (at least <see cref="KnnVectorQuery.ExactSearchThreshold"/>). A leg's window is deep (100
    /// records: 200 documents, beam 200) and fusion scores every record in it, so an approximate walk that misses a
    /// document at rank 150 changes fused scores; and an index and its shards (different graphs) would miss different
    /// ones. Below this size the exact scan costs less than the walk (a beam of 200 on a 2,553-document MedPix segment
    /// took 2.3x the scan and found 99.1% of the top 200); larger segments keep the graph.
    /// </summary>
    internal static int ExactLegSearchMaxEligible(int k, int? ef) =>
        Math.Max(KnnVectorQuery.ExactSearchThreshold, ExactLegSearchBeamFactor * Math.Max(ef ?? Math.Max(k, 64), k));

    /// <summary>Segment size, in beams, below which a kNN leg searches exactly (<see cref="ExactLegSearchMaxEligible"/>).</summary>
    internal const int ExactLegSearchBeamFactor = 16;

    /// <summary>One visual probe: a field searched with the query images embedded by <see cref="Images"/>, or with
    /// the query text embedded by <see cref="Text"/> (CLIP).</summary>
    private sealed record VisualProbe(string Field, IImageEmbedder? Images, ITextEmbedder? Text);
}
