namespace HybridSearch.Cli;

/// <summary>A mistake of the user (an argument, a file, an index) that the command reports in one line with exit
/// code <see cref="ExitCodes.UserError"/>; the message names the item and the reason.</summary>
internal sealed class CliUserException(string message, Exception? inner = null) : HybridSearchException(message, inner);
