using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Querying;

namespace HybridSearch.Cli.Querying;

/// <summary>
/// An index opened read-only with the query embedders it needs, reused by every query of a run. MiniLM is used when
/// the index has text vectors and some query has text; ResNet18 when it has image vectors and some query has images
/// (both from <see cref="LoadedModels.Shared"/>, so loaded once per process); CLIP when its folder is given.
/// </summary>
internal sealed class SearchSession : IDisposable
{
    private readonly ClipModel? _clip;

    private SearchSession(HybridIndex index, MiniLMTextEmbedder? text, ResNet18ImageEmbedder? image, ClipModel? clip)
    {
        Index = index;
        _clip = clip;
        Searcher = new HybridSearcher(index, text, image)
        {
            ClipTextEmbedder = clip?.TextEmbedder,
            ClipImageEmbedder = clip?.ImageEmbedder,
        };
    }

    /// <summary>The index.</summary>
    public HybridIndex Index { get; }

    /// <summary>The searcher over <see cref="Index"/>.</summary>
    public HybridSearcher Searcher { get; }

    /// <summary>Opens the index at <paramref name="indexPath"/> with the embedders <paramref name="requests"/> need.</summary>
    /// <param name="indexPath">An existing index.</param>
    /// <param name="requests">Every query the session will run (decides which models to load).</param>
    /// <param name="clip">A loaded CLIP model the session takes ownership of, or null.</param>
    public static SearchSession Open(string indexPath, IReadOnlyCollection<SearchRequest> requests, ClipModel? clip = null)
    {
        var index = HybridIndex.OpenReadOnly(indexPath);
        MiniLMTextEmbedder? text = null;
        ResNet18ImageEmbedder? image = null;
        try
        {
            if (requests.Any(r => !string.IsNullOrWhiteSpace(r.Text)) && index.VectorFields.ContainsKey(IndexFieldNames.TextVector))
            {
                text = LoadedModels.Shared.Text();
            }

            if (requests.Any(r => r.Images.Count > 0) && index.VectorFields.ContainsKey(IndexFieldNames.ImageVector))
            {
                image = LoadedModels.Shared.Images();
            }

            return new SearchSession(index, text, image, clip);
        }
        catch
        {
            clip?.Dispose();
            index.Dispose();
            throw;
        }
    }

    /// <summary>Runs one request.</summary>
    /// <exception cref="CliUserException">A filter does not fit the index or a query image is missing.</exception>
    public Task<HybridSearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (query, options) = Build(request);
        return Searcher.SearchAsync(query, options, cancellationToken);
    }

    /// <summary>Runs one request's legs without fusing them (what <c>tune</c> fits on).</summary>
    /// <exception cref="CliUserException">A filter does not fit the index or a query image is missing.</exception>
    public Task<IReadOnlyList<Fusion.RankedLeg>> RankLegsAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (query, options) = Build(request);
        return Searcher.RankLegsAsync(query, options, cancellationToken);
    }

    private (HybridQuery Query, HybridSearchOptions Options) Build(SearchRequest request)
    {
        var query = HybridQuery.Empty.WithText(request.Text)
            .WithFilter(FilterResolver.Resolve(request.Filters, Index.MetadataFields));
        foreach (var image in request.Images)
        {
            var kind = FileKinds.Of(image);
            if (kind != FileKind.RegularFile)
            {
                throw new CliUserException(kind == FileKind.Missing
                    ? $"query image '{image}' does not exist."
                    : $"query image '{image}' is {FileKinds.Describe(kind)}, not a regular file.");
            }

            query = query.WithImage(QueryImage.FromFile(image));
        }

        var options = request.Fusion.Apply(HybridSearchOptions.Default)
            .WithPage(request.Offset, request.Top) with { Explain = request.Explain };
        options = options with { CandidateWindow = Math.Max(options.CandidateWindow, request.Offset + request.Top) };
        return (query, options);
    }

    /// <summary>Releases the CLIP model and the index (the shared embedders stay loaded for the next command).</summary>
    public void Dispose()
    {
        _clip?.Dispose();
        Index.Dispose();
    }
}
