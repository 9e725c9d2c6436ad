using System.Diagnostics;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>The <see cref="SearchLeg.SemanticText"/> leg: the query text embedded by the text embedder, searched
/// against <see cref="IndexFieldNames.TextVector"/>.</summary>
internal static class SemanticLeg
{
    /// <summary>Embeds <paramref name="text"/> and returns its leg's window of records, with the vector's background
    /// score (<see cref="KnnBackground"/>) as the leg's floor.</summary>
    public static LegOutcome Run(IndexSearcher searcher, ITextEmbedder embedder, string text, Query? filter, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var vector = embedder.Embed([text], cancellationToken)[0];
        cancellationToken.ThrowIfCancellationRequested();
        var embedding = watch.Elapsed;
        watch.Restart();
        var window = options.WindowOf(SearchLeg.SemanticText);
        var candidates = GroupedKnn.Search(searcher, IndexFieldNames.TextVector, vector, embedder.Info.Name, filter, window, options.KnnEf);
        var floor = KnnBackground.Score(searcher, IndexFieldNames.TextVector, vector);
        return new LegOutcome(SearchLeg.SemanticText, candidates, null, window, embedding, watch.Elapsed, floor, [(IndexFieldNames.TextVector, vector)]);
    }
}
