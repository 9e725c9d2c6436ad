using System.Collections.Concurrent;
using System.Text.Json;
using HybridSearch.Records;

namespace HybridSearch.Indexing;

/// <summary>The kind (keyword, number, date) of every metadata field seen, so that a filter can be built with the
/// right query type and a record cannot index "age" as a number in one place and a keyword in another.</summary>
internal sealed class MetadataKinds
{
    private readonly ConcurrentDictionary<string, FieldKind> _kinds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FieldKind> Snapshot() => new SortedDictionary<string, FieldKind>(_kinds, StringComparer.Ordinal);

    public bool TryGet(string name, out FieldKind kind) => _kinds.TryGetValue(name, out kind);

    /// <summary>Throws when a kind disagrees with the index or with another of the same name in the list; registers nothing.</summary>
    public void Validate(IReadOnlyList<(string Name, FieldKind Kind)> fields)
    {
        var seen = new Dictionary<string, FieldKind>(StringComparer.Ordinal);
        foreach (var (name, kind) in fields)
        {
            if ((_kinds.TryGetValue(name, out var existing) || seen.TryGetValue(name, out existing)) && existing != kind)
            {
                throw Mismatch(name, existing, kind);
            }

            seen[name] = kind;
        }
    }

    /// <summary>Registers each kind; throws when one disagrees with what the index holds (a concurrent record may have
    /// registered the name since <see cref="Validate"/>).</summary>
    public void Register(IReadOnlyList<(string Name, FieldKind Kind)> fields)
    {
        foreach (var (name, kind) in fields)
        {
            Check(name, kind);
        }
    }

    private static SchemaMismatchException Mismatch(string name, FieldKind existing, FieldKind kind) =>
        new(name, $"the index holds it as a {existing.ToString().ToLowerInvariant()} field, but a record gives a {kind.ToString().ToLowerInvariant()}.");

    private void Check(string name, FieldKind kind)
    {
        var existing = _kinds.GetOrAdd(name, kind);
        if (existing != kind)
        {
            throw Mismatch(name, existing, kind);
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
