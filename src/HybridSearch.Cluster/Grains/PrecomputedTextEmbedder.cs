using HybridSearch.Embedding;

namespace HybridSearch.Cluster.Grains;

/// <summary>Stands in for the coordinator's text embedder on a shard: the query was embedded once by the
/// coordinator, and the shard's searcher gets that vector (under the real embedder's name, which the index checks).</summary>
internal sealed class PrecomputedTextEmbedder(EmbedderInfo info, float[] vector) : ITextEmbedder
{
    public EmbedderInfo Info { get; } = info;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        texts.Select(_ => vector).ToList();

    public void Dispose()
    {
    }
}
