namespace HybridSearch.Embedding;

/// <summary>A CLIP model folder is incomplete or its files do not have the expected format, inputs or outputs. The
/// message names the folder or file and what was expected.</summary>
public sealed class ClipModelException : HybridSearchException
{
    /// <summary>Creates the exception with a message naming the file and the problem.</summary>
    public ClipModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ClipModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
