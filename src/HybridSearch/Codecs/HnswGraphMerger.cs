using HybridSearch.Graph;
using HybridSearch.Vectors;
using Lucene.Net.Index;

namespace HybridSearch.Codecs;

/// <summary>
/// The vectors and graph of one field of a merged segment: the live vectors of every incoming segment in merged
/// document order, and a graph that starts from the largest incoming segment's graph (ordinals remapped, deleted
/// nodes dropped and their neighbours' lists repaired) with the other segments' vectors inserted into it.
/// </summary>
internal static class HnswGraphMerger
{
    /// <summary>An incoming graph is reused only if at most this share of its nodes was deleted; past that, the
    /// repairs would cost more than they save and a fresh build gives the better graph.</summary>
    public const double MaxDeletedShareToReuse = 0.5;

    /// <summary>Collects the merged vectors and builds their graph; see the type's summary.</summary>
    public static HnswMergedField Merge(string field, string segment, VectorFieldOptions options, MergeState mergeState, IList<BinaryDocValues> toMerge)
    {
        var dimension = options.Dimension;
        var readers = mergeState.Readers;
        var incoming = new HnswVectorValues?[readers.Count];
        var liveCounts = new int[readers.Count];
        var total = 0L;
        for (var i = 0; i < readers.Count; i++)
        {
            incoming[i] = toMerge[i] as HnswVectorValues;
            if (incoming[i] is { } values && values.Options.Dimension != dimension)
            {
                throw new InvalidVectorException(field, $"merging into segment {segment}: incoming segment {i} has {values.Options.Dimension}-d vectors; the field has {dimension}.");
            }

            liveCounts[i] = incoming[i] is null ? 0 : CountLive(incoming[i]!, readers[i].LiveDocs);
            total += liveCounts[i];
        }

        if (total * dimension > Array.MaxLength)
        {
            throw new InvalidOperationException($"Field '{field}': merging {total} vectors of {dimension} components into segment {segment} exceeds one array.");
        }

        var seedReader = ChooseSeed(incoming, liveCounts, options);
        var vectors = new float[Math.Max(total * dimension, 1)];
        var ordToDoc = new int[total];
        int[]? seedToNew = seedReader >= 0 ? new int[incoming[seedReader]!.Count] : null;
        var ord = 0;
        for (var i = 0; i < readers.Count; i++)
        {
            if (incoming[i] is not { } values)
            {
                continue;
            }

            var liveDocs = readers[i].LiveDocs;
            var docMap = mergeState.DocMaps[i];
            var docBase = mergeState.DocBase[i];
            var oldOrd = 0; // ordinal i of a segment is its i-th document with a vector
            for (var doc = 0; doc < values.MaxDoc; doc++)
            {
                var vector = values.GetVector(doc);
                if (vector.IsEmpty)
                {
                    continue;
                }

                var live = liveDocs is null || liveDocs.Get(doc);
                if (i == seedReader)
                {
                    seedToNew![oldOrd] = live ? ord : -1;
                }

                oldOrd++;
                if (!live)
                {
                    continue;
                }

                vector.CopyTo(vectors.AsSpan(ord * dimension, dimension));
                ordToDoc[ord] = docBase + docMap.Get(doc);
                ord++;
            }
        }

        var count = (int)total;
        var buildOptions = new HnswBuildOptions { M = options.M, EfConstruction = options.EfConstruction, Seed = options.Seed };
        var threads = options.EffectiveBuildThreads(count);
        var reused = seedReader < 0 ? 0 : liveCounts[seedReader];
        if (options.Quantization == VectorQuantization.Int8 && count > 0)
        {
            // The merged segment's own quantiles, and the graph built and extended on its int8 records (see the writer).
            var quantized = QuantizedVectorBlock.Quantize(vectors, dimension, count, options.Similarity)!;
            try
            {
                var graph = Build(quantized.Scorer(options.Similarity), count, buildOptions, threads, seedReader < 0 ? null : incoming[seedReader]!.Graph, seedToNew);
                return new HnswMergedField(vectors, ordToDoc, graph, reused, quantized);
            }
            catch
            {
                quantized.Dispose();
                throw;
            }
        }

        var floatGraph = Build(new FloatVectorScorer(vectors, dimension, options.Similarity), count, buildOptions, threads, seedReader < 0 ? null : incoming[seedReader]!.Graph, seedToNew);
        return new HnswMergedField(vectors, ordToDoc, floatGraph, reused, null);
    }

    /// <summary>Extends <paramref name="seed"/> when there is one, else builds from nothing.</summary>
    private static HnswGraph Build<TScorer>(TScorer scorer, int count, HnswBuildOptions buildOptions, int threads, HnswGraph? seed, int[]? seedToNew)
        where TScorer : struct, IHnswScorer =>
        seed is null
            ? HnswGraphBuilder.BuildParallel(scorer, count, buildOptions, threads)
            : HnswGraphExtender.Extend(scorer, count, buildOptions, seed, seedToNew!, threads);

    private static int CountLive(HnswVectorValues values, Lucene.Net.Util.IBits? liveDocs)
    {
        if (liveDocs is null)
        {
            return values.Count;
        }

        var live = 0;
        for (var doc = 0; doc < values.MaxDoc; doc++)
        {
            if (liveDocs.Get(doc) && !values.GetVector(doc).IsEmpty)
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>The incoming segment with the most live vectors whose graph fits the field's settings, or -1.</summary>
    private static int ChooseSeed(HnswVectorValues?[] incoming, int[] liveCounts, VectorFieldOptions options)
    {
        var best = -1;
        for (var i = 0; i < incoming.Length; i++)
        {
            if (incoming[i] is not { } values || liveCounts[i] < 2
                || values.Graph.M != options.M || values.Options.Similarity != options.Similarity
                || values.Count - liveCounts[i] > MaxDeletedShareToReuse * values.Count)
            {
                continue;
            }

            if (best < 0 || liveCounts[i] > liveCounts[best])
            {
                best = i;
            }
        }

        return best;
    }
}
