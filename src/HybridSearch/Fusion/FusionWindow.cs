namespace HybridSearch.Fusion;

/// <summary>How many hits each leg must return for fusion to serve a page.</summary>
/// <remarks>
/// A record that a leg does not return cannot get that leg's contribution, so each leg's window must reach at
/// least as deep as the last requested fused rank: <c>window &gt;= offset + pageSize</c>. This is necessary, not
/// sufficient for the fused order to equal the order over the legs' full result lists (a record at rank
/// <c>window + 1</c> in every leg could outscore one found by a single leg), and deeper windows change the fused
/// list. So for page 2 to be exactly ranks 11–20 of the list page 1 came from, a searcher fixes the window per
/// query (a configured window size, like Elasticsearch's <c>rank_window_size</c>), fuses every page from the same
/// windows, and rejects a page that ends beyond the window rather than silently deepening it.
/// </remarks>
public static class FusionWindow
{
    /// <summary>The minimum number of hits each leg must return to serve ranks <c>offset + 1 .. offset + pageSize</c>: <c>offset + pageSize</c>.</summary>
    /// <param name="offset">Number of fused hits skipped (0 for the first page).</param>
    /// <param name="pageSize">Number of fused hits on the page; at least 1.</param>
    /// <returns><c>offset + pageSize</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="offset"/> is negative, <paramref name="pageSize"/> is below 1, or their sum exceeds <see cref="int.MaxValue"/>.
    /// </exception>
    public static int Required(int offset, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (offset > int.MaxValue - pageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize,
                $"offset {offset} + pageSize {pageSize} exceeds the largest window, {int.MaxValue}.");
        }

        return offset + pageSize;
    }
}
