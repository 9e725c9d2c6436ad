using System.IO.Hashing;
using System.Text;

namespace HybridSearch.Cluster.Coordination;

/// <summary>Routes a record id to its shard: XxHash64 of the id's UTF-8 bytes (seed 0) modulo the shard count —
/// stable across processes, machines and .NET versions (unlike <c>string.GetHashCode</c>).</summary>
public static class ShardRouter
{
    /// <summary>The shard (0..<paramref name="shards"/>-1) that owns <paramref name="recordId"/>.</summary>
    public static int ShardOf(string recordId, int shards)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        return (int)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(recordId)) % (ulong)shards);
    }
}
