using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Vectors;

namespace HybridSearch.Indexing;

/// <summary>Reads and writes the index's schema (vector fields and their embedders, metadata kinds) as commit user
/// data, so it is committed atomically with the documents it describes.</summary>
internal static class IndexSchemaStore
{
    public const string VectorFieldsKey = "hybridsearch.vector_fields";
    public const string MetadataKindsKey = "hybridsearch.metadata_kinds";
    public const string FormatVersionKey = "hybridsearch.format";
    public const string FusionProfileKey = "hybridsearch.fusion_profile";
    public const string FormatVersion = "1";

    // Quantization was added later: a schema stored before it has none (null), which means VectorQuantization.None.
    private sealed record StoredVectorField(int Dimension, string Similarity, int M, int EfConstruction, long Seed, string Embedder, string? Quantization = null);

    public static string VectorFieldsToJson(IReadOnlyDictionary<string, VectorFieldOptions> fields) =>
        JsonSerializer.Serialize(fields.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(
            p => p.Key,
            p => new StoredVectorField(p.Value.Dimension, p.Value.Similarity.ToString(), p.Value.M, p.Value.EfConstruction, p.Value.Seed, p.Value.Embedder, p.Value.Quantization.ToString())));

    public static Dictionary<string, VectorFieldOptions> VectorFieldsFromJson(string? json, string indexPath)
    {
        var result = new Dictionary<string, VectorFieldOptions>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return result;
        }

        try
        {
            foreach (var (name, f) in JsonSerializer.Deserialize<Dictionary<string, StoredVectorField>>(json) ?? [])
            {
                result[name] = new VectorFieldOptions(f.Dimension, Enum.Parse<VectorSimilarity>(f.Similarity))
                {
                    M = f.M,
                    EfConstruction = f.EfConstruction,
                    Seed = f.Seed,
                    Embedder = f.Embedder ?? string.Empty,
                    Quantization = f.Quantization is null ? VectorQuantization.None : Enum.Parse<VectorQuantization>(f.Quantization),
                };
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"Index '{indexPath}': the stored vector field schema is unreadable: {e.Message}", e);
        }

        return result;
    }
}
