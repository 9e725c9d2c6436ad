using HybridSearch.Graph;

namespace HybridSearch.Codecs;

/// <summary>What <see cref="HnswGraphMerger"/> produced for one field of a merged segment.</summary>
/// <param name="Vectors">The live vectors, ordinal-major (ordinal i = the i-th merged document with a vector).</param>
/// <param name="OrdToDoc">Merged document of each ordinal.</param>
/// <param name="Graph">The graph over the ordinals.</param>
/// <param name="ReusedNodes">How many nodes came from an incoming graph (0: built from nothing).</param>
/// <param name="Quantized">For an int8 field, the merged segment's quantized records (its own quantiles), which the
/// graph was built on; the caller writes and disposes them. Null for a float field or no vectors.</param>
internal sealed record HnswMergedField(float[] Vectors, int[] OrdToDoc, HnswGraph Graph, int ReusedNodes, QuantizedVectorBlock? Quantized);
