using System.Text.Json;
using HybridSearch.Cluster.Hosting;
using HybridSearch.Cluster.Wire;

namespace HybridSearch.Cluster.Grains;

/// <summary>Keeps the catalogue in memory and in <see cref="ShardStorageOptions.CatalogueFile"/> (written to a
/// temporary file, flushed, then renamed over the old one, so a crash leaves the old or the new catalogue).</summary>
internal sealed class IndexCatalogGrain(ShardStorageOptions storage) : Grain, IIndexCatalogGrain
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private Dictionary<string, WireIndexDescriptor> _indexes = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(storage.CatalogueFile))
        {
            var list = JsonSerializer.Deserialize<List<WireIndexDescriptor>>(File.ReadAllText(storage.CatalogueFile), Json) ?? [];
            _indexes = list.ToDictionary(i => i.Name, StringComparer.Ordinal);
        }

        return Task.CompletedTask;
    }

    public Task<WireIndexDescriptor?> GetAsync(string name) => Task.FromResult(_indexes.GetValueOrDefault(name));

    public Task<List<WireIndexDescriptor>> ListAsync() => Task.FromResult(_indexes.Values.OrderBy(i => i.Name, StringComparer.Ordinal).ToList());

    public Task<WireIndexDescriptor> GetOrCreateAsync(string name, int shards, List<WireVectorField> vectorFields)
    {
        if (_indexes.TryGetValue(name, out var existing))
        {
            return Task.FromResult(existing);
        }

        if (shards is < 1 or > 1024)
        {
            throw new HybridSearchException($"index '{name}': {shards} shards requested; a logical index has 1 to 1024 shards.");
        }

        var created = new WireIndexDescriptor(name, shards, vectorFields, DateTimeOffset.UtcNow);
        _indexes[name] = created;
        Save();
        return Task.FromResult(created);
    }

    public Task<WireIndexDescriptor> SetFusionProfileAsync(string name, string? profileJson)
    {
        if (!_indexes.TryGetValue(name, out var existing))
        {
            throw new HybridSearchException($"index '{name}': the cluster has no index of that name, so it has no fusion profile to set.");
        }

        var updated = existing with { FusionProfileJson = profileJson };
        _indexes[name] = updated;
        Save();
        return Task.FromResult(updated);
    }

    private void Save()
    {
        Directory.CreateDirectory(storage.DataDirectory);
        var temporary = storage.CatalogueFile + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, _indexes.Values.ToList(), Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, storage.CatalogueFile, overwrite: true);
    }
}
