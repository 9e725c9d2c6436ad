using System.Diagnostics;
using HybridSearch.Ingestion.Media;
using Lucene.Net.Search;

namespace HybridSearch.Querying;

/// <summary>The <see cref="SearchLeg.Visual"/> leg: every probe (query images per image embedder, the query text by
/// CLIP) searched on its field, the probes' hits combined per record by
/// <see cref="HybridSearchOptions.ImageCombination"/>, and their background scores combined the same way.</summary>
internal static class VisualLeg
{
    /// <summary>Embeds the probes' inputs and returns the leg's window of records.</summary>
    /// <exception cref="InvalidHybridQueryException">A pre-embedded query image lacks a probe's vector.</exception>
    public static LegOutcome Run(IndexSearcher searcher, HybridQuery query, IReadOnlyList<VisualProbe> probes, BoundedImageDecoder decoder, Query? filter, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var vectors = Embed(query, probes, decoder, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var embedding = watch.Elapsed;
        watch.Restart();
        var window = options.WindowOf(SearchLeg.Visual);
        var combined = new Dictionary<string, LegCandidate>(StringComparer.Ordinal);
        float? floor = null;
        foreach (var (field, embedder, vector) in vectors)
        {
            // Max combination: the floor of the most generous probe; Sum: the probes' floors add up like their scores.
            if (KnnBackground.Score(searcher, field, vector) is float background)
            {
                floor = options.ImageCombination == MultiImageCombination.Sum ? (floor ?? 0f) + background : Math.Max(floor ?? 0f, background);
            }

            foreach (var candidate in GroupedKnn.Search(searcher, field, vector, embedder, filter, window, options.KnnEf))
            {
                if (!combined.TryGetValue(candidate.RecordId, out var previous))
                {
                    combined[candidate.RecordId] = candidate;
                }
                else if (options.ImageCombination == MultiImageCombination.Sum)
                {
                    var best = candidate.Score > previous.Score ? candidate : previous;
                    combined[candidate.RecordId] = best with { Score = previous.Score + candidate.Score };
                }
                else if (candidate.Score > previous.Score)
                {
                    combined[candidate.RecordId] = candidate;
                }
            }
        }

        var candidates = combined.Values.ToList();
        RecordGrouping.SortBestFirst(candidates);
        RecordGrouping.Trim(candidates, window);
        return new LegOutcome(SearchLeg.Visual, candidates, null, window, embedding, watch.Elapsed, floor, vectors.Select(v => (v.Field, v.Vector)).ToList());
    }

    /// <summary>The query vectors of the probes, in probe order: image probes first (every query image), then text.</summary>
    private static List<(string Field, string Embedder, float[] Vector)> Embed(HybridQuery query, IReadOnlyList<VisualProbe> probes, BoundedImageDecoder decoder, CancellationToken cancellationToken)
    {
        var vectors = new List<(string Field, string Embedder, float[] Vector)>();
        if (probes.Any(p => p.Images is not null) && query.Images.All(i => i.Embeddings is not null))
        {
            // Embedded already, by a sharded index's coordinator: the shard has the vectors, not the files.
            foreach (var probe in probes.Where(p => p.Images is not null))
            {
                vectors.AddRange(query.Images.Select(i => (probe.Field, probe.Images!.Info.Name, i.Embeddings!.TryGetValue(probe.Field, out var v) ? v
                    : throw new InvalidHybridQueryException($"query image '{i.Name}'", $"it was sent without a vector for field '{probe.Field}'."))));
            }
        }
        else if (probes.Any(p => p.Images is not null))
        {
            var decoded = query.Images.Select(i => i.DecodeAsync(decoder, cancellationToken).GetAwaiter().GetResult()).ToList();
            try
            {
                var images = decoded.Select(d => d.Image).ToList();
                foreach (var probe in probes.Where(p => p.Images is not null))
                {
                    vectors.AddRange(probe.Images!.Embed(images, cancellationToken).Select(v => (probe.Field, probe.Images.Info.Name, v)));
                }
            }
            finally
            {
                decoded.ForEach(d => d.Dispose());
            }
        }

        foreach (var probe in probes.Where(p => p.Text is not null))
        {
            vectors.Add((probe.Field, probe.Text!.Info.Name, probe.Text.Embed([query.EffectiveSemanticText!], cancellationToken)[0]));
        }

        return vectors;
    }
}
