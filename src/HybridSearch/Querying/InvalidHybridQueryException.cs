namespace HybridSearch.Querying;

/// <summary>A hybrid query that cannot run as given: nothing to search for, a filter whose kind disagrees with the
/// index's field, query images without an image embedder, and the like. The message names the item and the reason.</summary>
public sealed class InvalidHybridQueryException : HybridSearchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="item">What is wrong (e.g. <c>filter on 'year'</c>).</param>
    /// <param name="reason">Why.</param>
    public InvalidHybridQueryException(string item, string reason)
        : base($"{item}: {reason}")
    {
        Item = item;
        Reason = reason;
    }

    /// <summary>The offending part of the query.</summary>
    public string Item { get; }

    /// <summary>Why it cannot run.</summary>
    public string Reason { get; }
}
