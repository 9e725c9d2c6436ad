namespace HybridSearch.Cluster.Hosting;

/// <summary>Where a silo keeps shard directories and the catalogue: the <c>--data</c> folder. Every silo that may
/// take over a shard must see the same folder (one machine, or shared storage).</summary>
public sealed class ShardStorageOptions
{
    /// <summary>Creates the options for <paramref name="dataDirectory"/>.</summary>
    public ShardStorageOptions(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
    }

    /// <summary>The absolute data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The directory of shard <paramref name="shard"/> of index <paramref name="index"/>.</summary>
    public string ShardDirectory(string index, int shard) => Path.Combine(DataDirectory, "indexes", index, $"shard-{shard:D3}");

    /// <summary>The catalogue file.</summary>
    public string CatalogueFile => Path.Combine(DataDirectory, "catalogue.json");
}
