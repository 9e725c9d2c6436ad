namespace HybridSearch.Vectors;

/// <summary>How two vectors of a vector field are compared. Every vector field records its similarity.</summary>
public enum VectorSimilarity
{
    /// <summary>Cosine of the angle. Vectors are L2-normalised when indexed, so the stored vectors are unit length.</summary>
    Cosine = 0,

    /// <summary>Dot product of the vectors as given (callers are expected to pass unit-length vectors).</summary>
    DotProduct = 1,

    /// <summary>Euclidean (L2) distance; smaller distance is more similar.</summary>
    Euclidean = 2,
}
