using HybridSearch.Codecs;
using HybridSearch.Embedding;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Querying;

public sealed class MiniLMFixture
{
    public MiniLMTextEmbedder Embedder => TestModels.Text;
}

public class HybridSearchFreshnessTests(MiniLMFixture fixture) : IClassFixture<MiniLMFixture>
{
    private static readonly string[] Topics =
    [
        "volcanoes erupt molten rock and ash",
        "glaciers carve valleys as they slowly move",
        "coral reefs shelter many species of fish",
        "deserts receive very little rain each year",
        "rainforests hold much of the planet's biodiversity",
        "tides rise and fall with the pull of the moon",
    ];

    private HybridIndex OpenIndex(TempDirectory directory, string embedderName = "all-MiniLM-L6-v2") =>
        HybridIndex.Open(directory.Path, HybridIndexOptions.Default.WithVectorField(
            IndexFieldNames.TextVector, new VectorFieldOptions(384, VectorSimilarity.Cosine) { Embedder = embedderName }));

    private IndexedRecord Record(string id, string text, IReadOnlyList<TextChunkEmbedding> chunks) =>
        new(id, null, text, chunks: HybridSearchFixture.Chunks(chunks));

    [Fact]
    public async Task AQueryEmbeddedByAnotherModelThanTheFieldsIsAClearError()
    {
        using var directory = new TempDirectory();
        using var index = OpenIndex(directory, "some-other-model");
        var searcher = new HybridSearcher(index, fixture.Embedder);

        var error = await Assert.ThrowsAsync<EmbedderMismatchException>(() => searcher.SearchAsync(HybridQuery.ForText("volcano")));

        Assert.Equal(IndexFieldNames.TextVector, error.Field);
        Assert.Contains("some-other-model", error.Message);
        Assert.Contains("all-MiniLM-L6-v2", error.Message);
    }

    [Fact]
    public async Task NewRecordsAreVisibleAfterRefresh()
    {
        using var directory = new TempDirectory();
        using var index = OpenIndex(directory);
        var searcher = new HybridSearcher(index, fixture.Embedder);
        var chunks = fixture.Embedder.EmbedChunks(Topics);
        index.Upsert(Record("t0", Topics[0], chunks[0]));

        var before = await searcher.SearchAsync(HybridQuery.ForText("volcanoes"));
        index.Refresh();
        var after = await searcher.SearchAsync(HybridQuery.ForText("volcanoes"));

        Assert.Empty(before.Hits);
        Assert.Equal("t0", after.Hits[0].RecordId);
        Assert.Equal([SearchLeg.Lexical, SearchLeg.SemanticText], after.Hits[0].Legs.Select(l => l.Leg));
    }

    [Fact]
    public async Task QueriesFromManyThreadsStaySafeWhileRecordsAreIngested()
    {
        using var directory = new TempDirectory();
        using var index = OpenIndex(directory);
        var searcher = new HybridSearcher(index, fixture.Embedder);
        var chunks = fixture.Embedder.EmbedChunks(Topics);
        var queryVectors = Topics.Select(t => t.Split(' ')[0]).ToArray();
        const int Records = 120;

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Records; i++)
            {
                var topic = i % Topics.Length;
                index.Upsert(Record($"r{i:D3}", Topics[topic] + $" (note {i})", chunks[topic]));
                if (i % 10 == 9)
                {
                    index.Refresh();
                }

                if (i % 40 == 39)
                {
                    index.Commit();
                }
            }

            index.Refresh();
        });
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            var queries = 0;
            while (!writer.IsCompleted || queries < 5)
            {
                var results = await searcher.SearchAsync(HybridQuery.ForText(queryVectors[(reader + queries) % queryVectors.Length]),
                    HybridSearchOptions.Default.WithPage(0, 20));
                Assert.Equal(results.Hits.Count, results.Hits.Select(h => h.RecordId).Distinct().Count());
                Assert.All(results.Hits, h => Assert.Equal(h.Score, h.Legs.Sum(l => l.Contribution), 9));
                queries++;
            }

            return queries;
        })).ToList();

        await writer;
        var counts = await Task.WhenAll(readers);

        Assert.All(counts, c => Assert.True(c >= 5));
        var final = await searcher.SearchAsync(HybridQuery.ForText("glaciers"), HybridSearchOptions.Default.WithLegs(SearchLeg.Lexical).WithPage(0, 100));
        Assert.Equal(Records / Topics.Length, final.Hits.Count);
    }
}
