using System.Collections.Concurrent;
using HybridSearch.Embedding;

namespace HybridSearch.Benchmarks;

/// <summary>
/// Remembers the vectors of a real embedder by text. The soak repeats a small pool of query texts, so after the first
/// round its query threads spend their time in the index (what the soak tests), not in re-running MiniLM on the same
/// strings; the vectors are the model's own.
/// </summary>
internal sealed class CachingTextEmbedder(ITextEmbedder inner) : ITextEmbedder
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public EmbedderInfo Info => inner.Info;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var missing = texts.Where(text => !_vectors.ContainsKey(text)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var vectors = inner.Embed(missing, cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _vectors[missing[i]] = vectors[i];
            }
        }

        return texts.Select(text => _vectors[text]).ToList();
    }

    public void Dispose() => inner.Dispose();
}
