using System.Diagnostics;
using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;

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
///     HybridSearchOptions.Default with { Explain = true });
/// foreach (var hit in results.Hits) Console.WriteLine($"{hit.Rank} {hit.RecordId} {hit.Score:F4} {hit.Snippet}");
/// </code>
/// </example>
public sealed partial class HybridSearcher
{
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
        var (outcomes, ranked) = await RunAndRankLegsAsync(query, options, searcher, cancellationToken).ConfigureAwait(false);
        var fused = ScoreFusion.Fuse(ranked, options.Fusion);
        var page = ScoreFusion.Page(fused, options.Offset, options.PageSize);

        var byLeg = outcomes.ToDictionary(o => o.Leg);
        var snippetQuery = SnippetQuery(query, byLeg);
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
            var (_, ranked) = await RunAndRankLegsAsync(query, WithIndexProfile(options ?? DefaultOptions), lease.Searcher, cancellationToken).ConfigureAwait(false);
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
}
