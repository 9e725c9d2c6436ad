namespace HybridSearch.Vectors;

/// <summary>How the vectors of a field are compressed for the graph walk. Every segment records what it used, so a
/// field may change its setting between writes; merges re-encode.</summary>
public enum VectorQuantization
{
    /// <summary>The graph walk reads the float vectors (4 bytes per component).</summary>
    None = 0,

    /// <summary>The graph walk reads 7-bit scalar-quantized copies (1 byte per component plus a 4-byte correction per
    /// vector, parameters per segment, <see cref="ScalarQuantizer"/>); the best candidates are re-scored with the float
    /// vectors, which stay in the index.</summary>
    Int8 = 1,
}
