using HybridSearch.Graph;

namespace HybridSearch.Codecs;

/// <summary>What <see cref="HnswGraphMerger"/> produced for one field of a merged segment.</summary>
/// <param name="Vectors">The live vectors, ordinal-major (ordinal i = the i-th merged document with a vector).</param>
/// <param name="OrdToDoc">Merged document of each ordinal.</param>
/// <param name="Graph">The graph over the ordinals.</param>
/// <param name="ReusedNodes">How many nodes came from an incoming graph (0: built from nothing).</param>
internal sealed record HnswMergedField(float[] Vectors, int[] OrdToDoc, HnswGraph Graph, int ReusedNodes);
