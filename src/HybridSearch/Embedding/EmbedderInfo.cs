using HybridSearch.Vectors;

namespace HybridSearch.Embedding;

/// <summary>
/// Identifies the model that produced the vectors of a field. The index records it per vector field, and a query
/// embedded by a different embedder is rejected.
/// </summary>
/// <param name="Name">Stable model name, e.g. <c>resnet18</c>, <c>all-MiniLM-L6-v2</c>, <c>clip:ViT-B-32</c>.</param>
/// <param name="Dimension">Number of components of every vector it produces.</param>
/// <param name="Similarity">The similarity its vectors are meant to be compared with.</param>
public sealed record EmbedderInfo(string Name, int Dimension, VectorSimilarity Similarity);
