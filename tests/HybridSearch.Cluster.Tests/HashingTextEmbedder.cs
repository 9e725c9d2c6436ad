using HybridSearch.Embedding;
using HybridSearch.Vectors;

namespace HybridSearch.Cluster.Tests;

/// <summary>A deterministic bag-of-words embedder (each word hashed into one of 64 dimensions, L2-normalised): real
/// vectors with real neighbourhoods, without loading a model, so equality tests are fast and exact.</summary>
internal sealed class HashingTextEmbedder : ITextEmbedder
{
    public const int Dimension = 64;
    public const string Name = "test-hashing-64";

    public EmbedderInfo Info { get; } = new(Name, Dimension, VectorSimilarity.Cosine);

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => texts.Select(EmbedOne).ToList();

    private static float[] EmbedOne(string text)
    {
        var vector = new float[Dimension];
        foreach (var word in text.Split([' ', '\n', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[hash % Dimension] += 1f;
            vector[(hash >> 8) % Dimension] += 0.5f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector.Select((_, i) => i == 0 ? 1f : 0f).ToArray() : vector.Select(v => v / norm).ToArray();
    }

    public void Dispose()
    {
    }
}
