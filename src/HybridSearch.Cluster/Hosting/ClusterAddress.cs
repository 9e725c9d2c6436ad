namespace HybridSearch.Cluster.Hosting;

/// <summary>Parses the cluster's membership address, <c>redis://HOST:PORT</c>, into what the Redis client takes.</summary>
public static class ClusterAddress
{
    /// <summary>The Orleans cluster id every silo and client of HybridSearch joins.</summary>
    public const string ClusterId = "hybridsearch";

    /// <summary>Returns <c>HOST:PORT</c> for <paramref name="url"/>.</summary>
    /// <exception cref="HybridSearchException">The address is not <c>redis://HOST:PORT</c>.</exception>
    public static string ToRedisConfiguration(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "redis" || string.IsNullOrEmpty(uri.Host))
        {
            throw new HybridSearchException($"cluster address '{url}': expected redis://HOST:PORT (the Redis server that holds the cluster's membership).");
        }

        return $"{uri.Host}:{(uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port)}";
    }
}
