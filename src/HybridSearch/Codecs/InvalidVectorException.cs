namespace HybridSearch.Codecs;

/// <summary>A vector was rejected before it reached the index: wrong dimension, NaN or infinity, or a zero vector
/// where the similarity needs a direction. The message names the field and the problem.</summary>
public sealed class InvalidVectorException : HybridSearchException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public InvalidVectorException(string field, string problem)
        : base($"Vector field '{field}': {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The vector field the bad vector was meant for.</summary>
    public string Field { get; }

    /// <summary>What is wrong with the vector.</summary>
    public string Problem { get; }
}
