namespace HybridSearch.Querying;

/// <summary>
/// What to search for: query text, query images, and a filter. Immutable; each <c>WithX</c> returns a new query.
/// Which legs run follows from what the query holds: text drives the lexical, semantic text and transcript legs (and
/// the visual leg with a CLIP text embedder); images drive the visual leg.
/// </summary>
/// <example>
/// <code>
/// var query = HybridQuery.ForText("chest x-ray pneumonia")
///     .WithImage(QueryImage.FromFile("scan.png"))
///     .WithFilter(SearchFilter.None.WithKeyword("modality", "XR"));
/// </code>
/// </example>
public sealed record HybridQuery
{
    private HybridQuery()
    {
    }

    /// <summary>A query with nothing in it yet; add text or images before searching.</summary>
    public static HybridQuery Empty { get; } = new();

    /// <summary>Keywords for the BM25 legs (Lucene query syntax allowed) and, unless <see cref="SemanticText"/> is
    /// set, the text of the semantic leg; null for an image-only query.</summary>
    public string? Text { get; private init; }

    /// <summary>Text for the semantic (and CLIP) legs when it should differ from the keywords, e.g. a natural-language
    /// question next to a keyword query; null uses <see cref="Text"/>.</summary>
    public string? SemanticText { get; private init; }

    /// <summary>Query images for the visual leg.</summary>
    public IReadOnlyList<QueryImage> Images { get; private init; } = [];

    /// <summary>The filter applied inside every leg.</summary>
    public SearchFilter Filter { get; private init; } = SearchFilter.None;

    /// <summary>A query for <paramref name="text"/>.</summary>
    public static HybridQuery ForText(string text) => Empty.WithText(text);

    /// <summary>A query by example image.</summary>
    public static HybridQuery ForImage(QueryImage image) => Empty.WithImage(image);

    /// <summary>Returns the query with this text.</summary>
    public HybridQuery WithText(string? text) => this with { Text = string.IsNullOrWhiteSpace(text) ? null : text };

    /// <summary>Returns the query with a separate text for the semantic legs.</summary>
    public HybridQuery WithSemanticText(string? text) => this with { SemanticText = string.IsNullOrWhiteSpace(text) ? null : text };

    /// <summary>Returns the query with one more query image.</summary>
    public HybridQuery WithImage(QueryImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return this with { Images = [.. Images, image] };
    }

    /// <summary>Returns the query with this filter (replacing the previous one).</summary>
    public HybridQuery WithFilter(SearchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return this with { Filter = filter };
    }

    /// <summary>The text the semantic legs embed.</summary>
    internal string? EffectiveSemanticText => SemanticText ?? Text;
}
