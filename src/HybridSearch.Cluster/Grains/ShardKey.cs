using System.Globalization;

namespace HybridSearch.Cluster.Grains;

/// <summary>The key of a <see cref="IShardGrain"/>: <c>"{index}/{shard}"</c> — the logical index's name (which cannot
/// contain '/') and the shard number. Written by the coordinator, read by the grain (which directory to open) and by
/// the shard placement (which silo runs it).</summary>
internal static class ShardKey
{
    /// <summary>The key of shard <paramref name="shard"/> of <paramref name="index"/>.</summary>
    public static string Format(string index, int shard) => string.Create(CultureInfo.InvariantCulture, $"{index}/{shard}");

    /// <summary>The index name and shard number a key names.</summary>
    /// <exception cref="ArgumentException">The key is not <c>"{index}/{shard}"</c> with a non-empty name and a
    /// non-negative shard number (named in the message).</exception>
    public static (string Index, int Shard) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        if (slash <= 0
            || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var shard))
        {
            throw new ArgumentException($"grain key '{key}' is not a shard key: expected \"{{index}}/{{shard}}\", an index name, '/', and a shard number.", nameof(key));
        }

        return (key[..slash], shard);
    }
}
