namespace HybridSearch;
/// <summary>Base of every error a user of the library can cause (bad input, a missing file, a busy index, a
/// corrupt index); anything else escaping the library is a bug. The CLI maps it to exit code 1
/// (<see cref="IndexCorruptException"/> to 4).</summary>
public class HybridSearchException : Exception
{
    /// <summary>Creates the exception with a message that names the item and the reason.</summary>
    public HybridSearchException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public HybridSearchException(string message, Exception? innerException) : base(message, innerException) { }
}
