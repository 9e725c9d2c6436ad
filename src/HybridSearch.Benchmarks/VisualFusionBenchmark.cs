using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Fusion;
using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Querying;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>visual-fusion --folder COCO_DIR [--outside DIR] [--methods rrf60,minmax,bounded] [--captions text|image] [--query-caption N] [--save-legs DIR]</c>: does a
/// visual leg help when it is right and stay harmless when it is wrong? Indexes every COCO image (COCO-format
/// <c>annotations/captions_*.json</c>, images beside them) as a record whose text is its first caption (or, with
/// <c>--captions image</c>, a record without text whose image carries that caption), with ResNet18 and MiniLM vectors. Each image is then
/// searched for with its second caption (or caption N of <c>--query-caption</c>, counted from 0; relevant: that image only) three ways: text alone (lexical + semantic legs),
/// text plus the image itself (a strong visual leg), text plus an unrelated image of the collection (the image half
/// the collection away — indexed itself, so the visual leg is confidently wrong), and, with <c>--outside</c>, text
/// plus an unrelated image from another folder (not in the index: an off-topic photo). The other direction, with the
/// image as the strong input: the image alone (relevant: its own record), the image plus an off-topic text, and the
/// image plus another record's caption (the text confidently about a different record). Prints the caption query's
/// nDCG@10 through the lexical and the semantic leg alone, per method nDCG@10 of each scenario and the ratios to the
/// strong input alone (text alone fused also over the better leg alone), JSON last. Methods: <c>rrf60</c>, <c>minmax</c>, <c>bounded</c> (the
/// default, with corroboration) and <c>bounded-plain</c> (bounded scores without corroboration). <c>--save-legs</c> also
/// saves every scenario's legs for <c>fusion-signals --legs</c>.
/// </summary>
internal static class VisualFusionBenchmark
{
    private const int EmbedBatch = 16;

    /// <summary>A text about nothing in COCO's captions, as the weak text next to a strong image (the same phrase the
    /// <c>fusion</c> command uses).</summary>
    private const string OffTopicText = FusionBenchmark.DefaultOffTopic;

    private sealed record Item(string Id, string Path, string[] Captions);

    private static readonly Option<string> FolderOption = BenchmarkOptions.Text("--folder", "COCO-style folder of captioned images.", required: true);
    private static readonly Option<string> OutsideOption = BenchmarkOptions.Text("--outside", "Folder of distractor images (.jpg) indexed too.");
    private static readonly Option<string> MethodsOption = BenchmarkOptions.Text("--methods", "Fusion methods, a comma list (default rrf60,minmax,bounded).");
    private static readonly Option<string> CaptionsOption = BenchmarkOptions.Choice("--captions", "text", "Where captions go: the record's text or the image's caption", "text", "image");
    private static readonly Option<string> SaveLegsOption = BenchmarkOptions.Text("--save-legs", "Directory to save the legs of every query in.");
    private static readonly Option<int> QueryCaptionOption = BenchmarkOptions.Int("--query-caption", 1, "Which caption of each image is the query (the record holds caption 0).", min: 1);

    public static Command CreateCommand()
    {
        var command = new Command("visual-fusion", "Fusion of the visual and text legs on captioned images, strong and weak legs.")
        {
            FolderOption, OutsideOption, MethodsOption, CaptionsOption, SaveLegsOption, QueryCaptionOption,
        };
        command.SetAction((parse, _) => Task.Run(() => Run(parse)));
        return command;
    }

    public static void Run(ParseResult args)
    {
        var folder = args.GetRequiredValue(FolderOption);
        if (!System.IO.Directory.Exists(folder))
        {
            throw new BenchmarkArgumentException($"--folder: '{folder}' does not exist.");
        }

        var items = Load(folder);
        if (items.Count < 4)
        {
            throw new BenchmarkArgumentException($"--folder: '{folder}' has fewer than 4 captioned images.");
        }

        var outside = args.GetValue(OutsideOption) is { } outsideFolder
            ? System.IO.Directory.EnumerateFiles(outsideFolder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        var captionsOnImages = args.GetRequiredValue(CaptionsOption) == "image";
        // Which caption is the query (the record holds caption 0): another one re-checks a rule on fresh paraphrases.
        var queryCaption = args.GetValue(QueryCaptionOption);
        if (items.Any(i => i.Captions.Length <= queryCaption))
        {
            throw new BenchmarkArgumentException($"--query-caption: {queryCaption} is beyond the captions of some image ({items.Min(i => i.Captions.Length)} at least).");
        }

        var methods = (args.GetValue(MethodsOption) ?? "rrf60,minmax,bounded").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var directory = Path.Combine(Path.GetTempPath(), "hybridsearch-visual-" + Guid.NewGuid().ToString("N"));
        using var text = new MiniLMTextEmbedder();
        using var image = new ResNet18ImageEmbedder();
        var decoder = new BoundedImageDecoder();
        var options = HybridIndexOptions.Default
            .WithVectorField(IndexFieldNames.TextVector, new VectorFieldOptions(text.Info.Dimension, text.Info.Similarity) { Embedder = text.Info.Name })
            .WithVectorField(IndexFieldNames.ImageVector, new VectorFieldOptions(image.Info.Dimension, image.Info.Similarity) { Embedder = image.Info.Name });
        try
        {
            var watch = Stopwatch.StartNew();
            using var index = HybridIndex.Open(directory, options);
            for (var start = 0; start < items.Count; start += EmbedBatch)
            {
                var batch = items.Skip(start).Take(EmbedBatch).ToList();
                var decoded = batch.Select(i => decoder.Decode(i.Path)).ToList();
                IReadOnlyList<float[]> vectors;
                try
                {
                    vectors = image.Embed(decoded.Select(d => d.Image).ToList());
                }
                finally
                {
                    decoded.ForEach(d => d.Dispose());
                }

                if (captionsOnImages)
                {
                    // The layout of a photo collection: records without text, each image with its caption (embedded on the image).
                    var captionVectors = text.Embed(batch.Select(i => i.Captions[0]).ToList());
                    for (var i = 0; i < batch.Count; i++)
                    {
                        var images = new[] { new IndexedImage(batch[i].Path, batch[i].Captions[0], new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = vectors[i], [IndexFieldNames.TextVector] = captionVectors[i] }) };
                        index.Upsert(new IndexedRecord(batch[i].Id, images: images));
                    }

                    continue;
                }

                var chunks = text.EmbedChunks(batch.Select(i => i.Captions[0]).ToList());
                for (var i = 0; i < batch.Count; i++)
                {
                    var images = new[] { new IndexedImage(batch[i].Path, null, new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = vectors[i] }) };
                    index.Upsert(new IndexedRecord(batch[i].Id, text: batch[i].Captions[0], images: images,
                        chunks: chunks[i].Select(c => new IndexedChunk(c.Start, c.Start + c.Length, c.Vector))));
                }
            }

            index.Commit();
            index.Refresh();
            Log($"indexed {items.Count} images in {watch.Elapsed.TotalSeconds:F1} s");
            var searcher = new HybridSearcher(index, text, image, imageDecoder: decoder);
            if (args.GetValue(SaveLegsOption) is { } saveTo)
            {
                SaveLegs(saveTo, (captionsOnImages ? "coco_image" : "coco") + (queryCaption == 1 ? string.Empty : $"_q{queryCaption}"), items, outside, searcher, queryCaption);
            }

            // The caption query through each text leg alone: what the fused text-only figure is compared with.
            double LegAlone(SearchLeg leg)
            {
                var alone = HybridSearchOptions.Default.WithLegs(leg);
                double sum = 0;
                for (var i = 0; i < items.Count; i++)
                {
                    var hits = searcher.SearchAsync(HybridQuery.ForText(items[i].Captions[queryCaption]), alone).GetAwaiter().GetResult().Hits;
                    var rank = hits.Select(h => h.RecordId).ToList().IndexOf(items[i].Id);
                    sum += rank is >= 0 and < 10 ? 1 / Math.Log2(rank + 2) : 0;
                }

                return Math.Round(sum / items.Count, 4);
            }

            var lexicalAlone = LegAlone(SearchLeg.Lexical);
            var semanticAlone = LegAlone(SearchLeg.SemanticText);
            Log($"text through one leg: lexical {lexicalAlone}, semantic {semanticAlone}");
            var results = new List<object>();
            foreach (var name in methods)
            {
                var search = name switch
                {
                    "rrf60" => HybridSearchOptions.Default.WithFusion(FusionMethod.ReciprocalRank, 60),
                    "minmax" => HybridSearchOptions.Default.WithFusion(FusionMethod.MinMax),
                    "bounded" => HybridSearchOptions.Default.WithFusion(FusionMethod.BoundedScore),
                    "bounded-plain" => HybridSearchOptions.Default with { Fusion = HybridSearchOptions.Default.Fusion with { Method = FusionMethod.BoundedScore, Corroboration = false } },
                    _ => throw new BenchmarkArgumentException($"--methods: unknown method '{name}' (rrf60, minmax, bounded, bounded-plain)."),
                };
                double Ndcg(Func<int, HybridQuery> query)
                {
                    double sum = 0;
                    for (var i = 0; i < items.Count; i++)
                    {
                        var hits = searcher.SearchAsync(query(i), search).GetAwaiter().GetResult().Hits;
                        var rank = hits.Select(h => h.RecordId).ToList().IndexOf(items[i].Id);
                        sum += rank is >= 0 and < 10 ? 1 / Math.Log2(rank + 2) : 0;
                    }

                    return Math.Round(sum / items.Count, 4);
                }

                var textOnly = Ndcg(i => HybridQuery.ForText(items[i].Captions[queryCaption]));
                var withOwn = Ndcg(i => HybridQuery.ForText(items[i].Captions[queryCaption]).WithImage(QueryImage.FromFile(items[i].Path)));
                var withUnrelated = Ndcg(i => HybridQuery.ForText(items[i].Captions[queryCaption]).WithImage(QueryImage.FromFile(items[(i + items.Count / 2) % items.Count].Path)));
                double? withOutside = outside.Count == 0 ? null
                    : Ndcg(i => HybridQuery.ForText(items[i].Captions[queryCaption]).WithImage(QueryImage.FromFile(outside[(i * 7) % outside.Count])));
                var imageOnly = Ndcg(i => HybridQuery.ForImage(QueryImage.FromFile(items[i].Path)));
                var imageOffTopic = Ndcg(i => HybridQuery.ForImage(QueryImage.FromFile(items[i].Path)).WithText(OffTopicText));
                var imageOtherCaption = Ndcg(i => HybridQuery.ForImage(QueryImage.FromFile(items[i].Path)).WithText(items[(i + items.Count / 2) % items.Count].Captions[queryCaption]));
                var result = new
                {
                    method = name,
                    text_ndcg10 = textOnly,
                    text_over_better_leg = Math.Round(textOnly / Math.Max(lexicalAlone, semanticAlone), 3),
                    text_own_image_ndcg10 = withOwn,
                    text_unrelated_image_ndcg10 = withUnrelated,
                    unrelated_ratio = Math.Round(withUnrelated / textOnly, 3),
                    text_outside_image_ndcg10 = withOutside,
                    outside_ratio = withOutside is double o ? Math.Round(o / textOnly, 3) : (double?)null,
                    image_ndcg10 = imageOnly,
                    image_offtopic_text_ndcg10 = imageOffTopic,
                    image_offtopic_text_ratio = Math.Round(imageOffTopic / imageOnly, 3),
                    image_other_caption_ndcg10 = imageOtherCaption,
                    image_other_caption_ratio = Math.Round(imageOtherCaption / imageOnly, 3),
                };
                Log(JsonSerializer.Serialize(result));
                results.Add(result);
            }

            Console.WriteLine(JsonSerializer.Serialize(new { images = items.Count, captions = captionsOnImages ? "image" : "text", text_lexical_ndcg10 = lexicalAlone, text_semantic_ndcg10 = semanticAlone, runs = results }));
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary index is harmless.
            }
        }
    }

    /// <summary>
    /// Each scenario's legs (relevant: the image's record), for <c>fusion-signals --legs</c>: PREFIX_text, _own,
    /// _unrelated, _outside (with <c>--outside</c>), _image, _offtopic, _othercaption.
    /// </summary>
    private static void SaveLegs(string folder, string prefix, List<Item> items, List<string> outside, HybridSearcher searcher, int queryCaption)
    {
        var scenarios = new Dictionary<string, Func<int, HybridQuery>>
        {
            ["text"] = i => HybridQuery.ForText(items[i].Captions[queryCaption]),
            ["own"] = i => HybridQuery.ForText(items[i].Captions[queryCaption]).WithImage(QueryImage.FromFile(items[i].Path)),
            ["unrelated"] = i => HybridQuery.ForText(items[i].Captions[queryCaption]).WithImage(QueryImage.FromFile(items[(i + items.Count / 2) % items.Count].Path)),
            ["image"] = i => HybridQuery.ForImage(QueryImage.FromFile(items[i].Path)),
            ["offtopic"] = i => HybridQuery.ForImage(QueryImage.FromFile(items[i].Path)).WithText(OffTopicText),
            ["othercaption"] = i => HybridQuery.ForImage(QueryImage.FromFile(items[i].Path)).WithText(items[(i + items.Count / 2) % items.Count].Captions[queryCaption]),
        };
        if (outside.Count > 0)
        {
            scenarios["outside"] = i => HybridQuery.ForText(items[i].Captions[queryCaption]).WithImage(QueryImage.FromFile(outside[(i * 7) % outside.Count]));
        }

        System.IO.Directory.CreateDirectory(folder);
        foreach (var (name, query) in scenarios)
        {
            var entries = items.Select((item, i) => new SavedLegsFile.Entry(
                item.Id,
                new HashSet<string>([item.Id], StringComparer.Ordinal),
                searcher.RankLegsAsync(query(i), HybridSearchOptions.Default).GetAwaiter().GetResult())).ToList();
            SavedLegsFile.Write(Path.Combine(folder, $"{prefix}_{name}.legs.jsonl"), entries);
        }
    }

    private static List<Item> Load(string folder)
    {
        var files = System.IO.Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories)
            .GroupBy(Path.GetFileName, StringComparer.Ordinal).ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        var items = new List<Item>();
        foreach (var json in System.IO.Directory.EnumerateFiles(folder, "captions_*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var captions = doc.RootElement.GetProperty("annotations").EnumerateArray()
                .GroupBy(a => a.GetProperty("image_id").GetInt64())
                .ToDictionary(g => g.Key, g => g.Select(a => a.GetProperty("caption").GetString() ?? string.Empty).ToArray());
            foreach (var img in doc.RootElement.GetProperty("images").EnumerateArray())
            {
                var name = img.GetProperty("file_name").GetString() ?? string.Empty;
                if (files.TryGetValue(name, out var path) && captions.TryGetValue(img.GetProperty("id").GetInt64(), out var texts) && texts.Length >= 2)
                {
                    items.Add(new Item(name, path, texts));
                }
            }
        }

        return items.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
