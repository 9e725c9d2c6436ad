using HybridSearch.Cluster.Wire;

namespace HybridSearch.Cluster.Grains;

/// <summary>The cluster's catalogue of logical indexes (name, shard count, vector fields, fusion profile). One activation, key
/// <c>"catalogue"</c>; its state is a JSON file in the shared data folder, so it survives silo restarts.</summary>
internal interface IIndexCatalogGrain : IGrainWithStringKey
{
    Task<WireIndexDescriptor?> GetAsync(string name);

    Task<WireIndexDescriptor> GetOrCreateAsync(string name, int shards, List<WireVectorField> vectorFields);

    Task<List<WireIndexDescriptor>> ListAsync();

    /// <summary>Stores (or with null removes) the index's fitted fusion profile; returns the updated descriptor.</summary>
    Task<WireIndexDescriptor> SetFusionProfileAsync(string name, string? profileJson);
}
