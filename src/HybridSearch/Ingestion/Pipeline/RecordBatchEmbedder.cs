using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Records;
using HybridSearch.Vectors;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// The embedding stage of an <see cref="IngestionRun"/>: one embedder call per vector field for a batch's images, the
/// records' texts chunk-embedded (each distinct text once per batch, short ones remembered for the run), a vector per
/// distinct caption, and the <see cref="IndexedRecord"/> each item will upsert. Used by one thread at a time.
/// </summary>
internal sealed class RecordBatchEmbedder(IngestionPipeline pipeline, IngestionLedger ledger)
{
    /// <summary>Distinct short texts whose chunks a run remembers (about 1.6 KB each for 384-d vectors).</summary>
    private const int TextCacheCapacity = 8192;

    /// <summary>Longest text remembered: titles and captions, not documents.</summary>
    private const int CachedTextMaxLength = 200;

    private readonly Dictionary<string, IndexedChunk[]> _textCache = new(StringComparer.Ordinal);

    /// <summary>Embeds the batch's images (one embedder call per vector field) and texts, and builds the records.</summary>
    public void Embed(List<PipelineItem> batch, CancellationToken token)
    {
        var prepared = batch.SelectMany(item => item.Images).ToList();
        var imageVectors = prepared.Count == 0 ? [] : pipeline.ImageEmbedder.Embed(prepared.Select(image => image.ForImageEmbedder).ToList(), token);
        IReadOnlyList<float[]> clipVectors = [];
        if (pipeline.ClipImageEmbedder is { } clip && prepared.Count > 0)
        {
            clipVectors = clip.Embed(prepared.Select(image => image.ForClipEmbedder!).ToList(), token);
        }

        CheckCount(imageVectors, prepared.Count, pipeline.ImageEmbedder);
        if (pipeline.ClipImageEmbedder is not null)
        {
            CheckCount(clipVectors, prepared.Count, pipeline.ClipImageEmbedder);
        }

        var records = batch.Where(item => item.Record is not null).ToList();
        var chunkSources = records.Select(item => SemanticTextOf(item.Record!)).ToList();
        var longest = records.Count == 0 ? null : records[Enumerable.Range(0, records.Count).MaxBy(i => chunkSources[i].Length)].Record!.Id;
        var chunks = EmbedTexts(chunkSources, token, longest);
        var captionVectors = EmbedCaptions(prepared.Select(image => image.Source.Caption), token);

        var imageIndex = 0;
        for (var r = 0; r < records.Count; r++)
        {
            var item = records[r];
            var indexedImages = new List<IndexedImage>(item.Images.Count);
            foreach (var image in item.Images)
            {
                var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal) { [IndexFieldNames.ImageVector] = imageVectors[imageIndex] };
                if (pipeline.ClipImageEmbedder is not null)
                {
                    vectors[IndexFieldNames.ClipImageVector] = clipVectors[imageIndex];
                }

                if (image.Source.Caption is { } caption && captionVectors.TryGetValue(caption, out var captionVector))
                {
                    vectors[IndexFieldNames.TextVector] = captionVector;
                }

                imageIndex++;
                var metadata = image.Source.Metadata.Count == 0 ? null : image.Source.Metadata;
                indexedImages.Add(new IndexedImage(image.Source.Path, image.Source.Caption, vectors, metadata));
            }

            item.Indexed = IndexedRecord.From(item.Record!, indexedImages, item.Segments, chunks[r], item.AudioWithoutTranscript);
        }
    }

    /// <summary>
    /// One text vector per distinct caption, stored on the image's own document in the text-vector field: the semantic
    /// leg then finds an image by what its caption means (a record's chunks cover only its title and text), and the
    /// hit names the image.
    /// </summary>
    private Dictionary<string, float[]> EmbedCaptions(IEnumerable<string?> captions, CancellationToken token)
    {
        // The same path as record texts: blanks skipped, each distinct text embedded once, short ones cached for the run.
        var distinct = captions.Where(caption => !string.IsNullOrWhiteSpace(caption)).Select(caption => caption!).Distinct(StringComparer.Ordinal).ToList();
        var windows = EmbedTexts(distinct, token);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            // A caption longer than one window gets the re-normalised mean of its windows, as ITextEmbedder.Embed gives.
            if (windows[i].Count > 0)
            {
                result[distinct[i]] = windows[i].Count == 1
                    ? windows[i][0].Vector
                    : VectorNormalization.NormalizedMean(windows[i].Select(window => window.Vector).ToList(), windows[i][0].Vector.Length);
            }
        }

        return result;
    }

    /// <summary>
    /// The text a record's semantic vectors are made from: title + text, except that a record whose only text is a
    /// title taken from its media's file name (a bare image in a folder: "IMG_0001") gets none — a file name carries
    /// no meaning to embed, and embedding it would cost as much as the image itself. The lexical leg still finds the
    /// record by that name.
    /// </summary>
    private static string SemanticTextOf(Record record)
    {
        if (record.Text.Length == 0 && record.Title.Length > 0
            && record.Images.Select(i => i.Path).Concat(record.Audio.Select(a => a.Path))
                .Any(path => string.Equals(Path.GetFileNameWithoutExtension(path), record.Title, StringComparison.Ordinal)))
        {
            return string.Empty;
        }

        return IndexedRecord.From(record).ChunkSource;
    }

    /// <summary>
    /// Chunk-embeds each record's title + text. Identical texts get identical vectors, so each distinct text is
    /// embedded once per batch, and short texts (titles made from file names such as <c>IMG_0001</c> repeat across
    /// folders) are remembered for the rest of the run, up to <see cref="TextCacheCapacity"/> of them.
    /// </summary>
    /// <param name="sources">The texts.</param>
    /// <param name="token">Stops the embedder.</param>
    /// <param name="reportedItem">The record named in progress reports while a long text is embedded; null for none.</param>
    private List<IndexedChunk>[] EmbedTexts(List<string> sources, CancellationToken token, string? reportedItem = null)
    {
        var result = sources.Select(_ => new List<IndexedChunk>()).ToArray();
        if (pipeline.TextEmbedder is not { } embedder)
        {
            return result;
        }

        // Records without title and text get no chunk documents (an empty window would carry no meaning).
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!string.IsNullOrWhiteSpace(source) && !_textCache.ContainsKey(source) && seen.Add(source))
            {
                missing.Add(source);
            }
        }

        var embedded = new Dictionary<string, IndexedChunk[]>(StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            if (embedder is IChunkingTextEmbedder chunking)
            {
                var windows = chunking.EmbedChunks(missing, reportedItem is null ? null : ledger.ChunkProgressFor(reportedItem), token);
                CheckCount(windows, missing.Count, embedder.Info.Name);
                for (var i = 0; i < missing.Count; i++)
                {
                    embedded[missing[i]] = windows[i].Select(window => new IndexedChunk(window.Start, window.Start + window.Length, window.Vector)).ToArray();
                }
            }
            else
            {
                var vectors = embedder.Embed(missing, token);
                CheckCount(vectors, missing.Count, embedder.Info.Name);
                for (var i = 0; i < missing.Count; i++)
                {
                    embedded[missing[i]] = [new IndexedChunk(0, missing[i].Length, vectors[i])];
                }
            }

            foreach (var (text, chunks) in embedded)
            {
                if (text.Length <= CachedTextMaxLength && _textCache.Count < TextCacheCapacity)
                {
                    _textCache[text] = chunks;
                }
            }
        }

        for (var i = 0; i < sources.Count; i++)
        {
            if (embedded.TryGetValue(sources[i], out var chunks) || _textCache.TryGetValue(sources[i], out chunks))
            {
                result[i].AddRange(chunks);
            }
        }

        return result;
    }

    private static void CheckCount(IReadOnlyList<float[]> vectors, int expected, IImageEmbedder embedder) => CheckCount(vectors, expected, embedder.Info.Name);

    private static void CheckCount<T>(IReadOnlyList<T> outputs, int expected, string embedder)
    {
        if (outputs.Count != expected)
        {
            throw new InvalidOperationException($"Embedder '{embedder}' returned {outputs.Count} results for {expected} inputs.");
        }
    }
}
