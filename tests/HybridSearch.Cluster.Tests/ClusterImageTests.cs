using HybridSearch.Cluster.Coordination;
using HybridSearch.Codecs;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Cluster.Tests;

/// <summary>Query images on a cluster: decoded and embedded once by the coordinator, searched on every shard, and
/// fused with the same background score as a single index (bottom-k sketches merged), so the answers are equal.</summary>
public sealed class ClusterImageTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>, IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "hybridsearch-cluster-images-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static IReadOnlyDictionary<string, VectorFieldOptions> VectorFields { get; } = new Dictionary<string, VectorFieldOptions>
    {
        [IndexFieldNames.TextVector] = TestCorpus.VectorFields[IndexFieldNames.TextVector],
        [IndexFieldNames.ImageVector] = new(GridColourImageEmbedder.Dimension, VectorSimilarity.Cosine) { Embedder = GridColourImageEmbedder.Name },
    };

    /// <summary>A picture of random coloured blocks: seeds close in the palette give similar pictures.</summary>
    private string Picture(int seed)
    {
        var random = new Random(seed);
        var palette = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        using var image = new Image<Rgb24>(32, 32);
        for (var by = 0; by < 4; by++)
        {
            for (var bx = 0; bx < 4; bx++)
            {
                var colour = new Rgb24((byte)Math.Clamp(palette.R + random.Next(-60, 60), 0, 255), (byte)Math.Clamp(palette.G + random.Next(-60, 60), 0, 255), (byte)Math.Clamp(palette.B + random.Next(-60, 60), 0, 255));
                for (var y = by * 8; y < by * 8 + 8; y++)
                {
                    for (var x = bx * 8; x < bx * 8 + 8; x++)
                    {
                        image[x, y] = colour;
                    }
                }
            }
        }

        var path = Path.Combine(_work, $"p{seed}.png");
        image.SaveAsPng(path);
        return path;
    }

    [Fact]
    public async Task ImageAndImagePlusTextQueriesEqualASingleIndex()
    {
        Directory.CreateDirectory(_work);
        using var images = new GridColourImageEmbedder();
        using var text = new HashingTextEmbedder();
        // 400 records with two images each: 800 image vectors and 400 text vectors, more than the 256 a background
        // sample takes, so equality needs the shards' sketches to merge into the single index's.
        var records = TestCorpus.Records(400, seed: 11).Select((r, i) =>
        {
            var paths = new[] { Picture(2 * i), Picture(2 * i + 1) };
            using var a = Image.Load<Rgb24>(paths[0]);
            using var b = Image.Load<Rgb24>(paths[1]);
            var vectors = images.Embed([a, b]);
            return new IndexedRecord(r.Id, r.Title, r.Text, r.Fields,
                paths.Select((p, k) => new IndexedImage(p, $"picture {k} of {r.Title}", new Dictionary<string, float[]> { [IndexFieldNames.ImageVector] = vectors[k] })),
                chunks: r.Chunks);
        }).ToList();

        var options = VectorFields.Aggregate(HybridIndexOptions.Default, (o, f) => o.WithVectorField(f.Key, f.Value));
        using var single = HybridIndex.Open(Path.Combine(_work, "single"), options);
        records.ForEach(single.Upsert);
        single.Commit();
        single.Refresh();
        var cluster = await ClusterIndex.OpenOrCreateAsync(fixture.Cluster.Client, "images", 3, VectorFields);
        records.ForEach(cluster.Upsert);
        await cluster.CommitAsync();

        var searcher = new HybridSearcher(single, text, images);
        var queries = new[]
        {
            HybridQuery.ForImage(QueryImage.FromFile(Picture(10_001))),
            HybridQuery.ForImage(QueryImage.FromFile(Picture(7))),
            HybridQuery.ForText("heart blood pressure").WithImage(QueryImage.FromFile(Picture(10_002))),
            HybridQuery.ForText("boundary layer").WithImage(QueryImage.FromFile(Picture(10_003))).WithImage(QueryImage.FromFile(Picture(10_004))),
        };
        foreach (var combination in new[] { MultiImageCombination.Max, MultiImageCombination.Sum })
        {
            var searchOptions = HybridSearchOptions.Default with { ImageCombination = combination };
            // Sum over several images is left out: each image's window is cut per shard before the sum, so a record
            // near the window's edge can sum differently (README, Scale-out); Max, and Sum of one image, are exact.
            foreach (var query in queries.Where(q => combination == MultiImageCombination.Max || q.Images.Count == 1))
            {
                var name = $"{combination} '{query.Text}' + {string.Join(", ", query.Images.Select(i => Path.GetFileName(i.Name)))}";
                var expected = await searcher.SearchAsync(query, searchOptions);
                var actual = await cluster.SearchAsync(query, searchOptions, text, images);
                Assert.False(actual.Partial);
                Assert.Contains(expected.Hits, h => h.Legs.Any(l => l.Leg == SearchLeg.Visual));
                Assert.Equal(expected.Hits.Select(h => h.RecordId), actual.Results.Hits.Select(h => h.RecordId));
                foreach (var (e, a) in expected.Hits.Zip(actual.Results.Hits))
                {
                    Assert.True(Math.Abs(e.Score - a.Score) <= 1e-4 * Math.Max(1e-9, Math.Abs(e.Score)), $"{name} {e.RecordId}: fused {e.Score} vs {a.Score}");
                    Assert.Equal(e.Legs.Select(l => (l.Leg, l.Rank)), a.Legs.Select(l => (l.Leg, l.Rank)));
                    foreach (var (el, al) in e.Legs.Zip(a.Legs))
                    {
                        Assert.True(Math.Abs(el.RawScore - al.RawScore) <= 1e-4 * Math.Abs(el.RawScore), $"{name} {e.RecordId} {el.Leg}: {el.RawScore} vs {al.RawScore}");
                        Assert.True(Math.Abs(el.NormalizedScore - al.NormalizedScore) <= 1e-4 * Math.Max(1e-9, Math.Abs(el.NormalizedScore)), $"{name} {e.RecordId} {el.Leg}: normalised {el.NormalizedScore} vs {al.NormalizedScore}");
                    }

                    Assert.Equal(e.BestMedia?.Path, a.BestMedia?.Path);
                }
            }
        }

        // Without an image embedder the query's images cannot be embedded: the caller's error, as on a single index.
        await Assert.ThrowsAsync<InvalidHybridQueryException>(() => cluster.SearchAsync(queries[0], HybridSearchOptions.Default, text));
    }
}
