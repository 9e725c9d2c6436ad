using HybridSearch.Embedding;

namespace HybridSearch.Querying;

/// <summary>One probe of the visual leg: a field searched with the query images embedded by <see cref="Images"/>, or
/// with the query text embedded by <see cref="Text"/> (CLIP).</summary>
internal sealed record VisualProbe(string Field, IImageEmbedder? Images, ITextEmbedder? Text);
