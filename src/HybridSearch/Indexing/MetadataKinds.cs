using System.Collections.Concurrent;
using System.Text.Json;
using HybridSearch.Ingestion;

namespace HybridSearch.Indexing;

/// <summary>The kind (keyword, number, date) of every metadata field seen, so that a filter can be built with the
/// right query type and a record cannot index "age" as a number in one place and a keyword in another.</summary>
internal sealed class MetadataKinds
{
    private readonly ConcurrentDictionary<string, FieldKind> _kinds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FieldKind> Snapshot() => new SortedDictionary<string, FieldKind>(_kinds, StringComparer.Ordinal);

    public bool TryGet(string name, out FieldKind kind) => _kinds.TryGetValue(name, out kind);

    public void Check(string name, FieldKind kind)
    {
        var existing = _kinds.GetOrAdd(name, kind);
        if (existing != kind)
        {
            throw new SchemaMismatchException(name, $"the index holds it as a {existing.ToString().ToLowerInvariant()} field, but a record gives a {kind.ToString().ToLowerInvariant()}.");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(Snapshot().ToDictionary(p => p.Key, p => p.Value.ToString()));

    public static MetadataKinds FromJson(string? json)
    {
        var result = new MetadataKinds();
        if (string.IsNullOrEmpty(json))
        {
            return result;
        }

        foreach (var (name, kind) in JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [])
        {
            result._kinds[name] = Enum.Parse<FieldKind>(kind);
        }

        return result;
    }
}
