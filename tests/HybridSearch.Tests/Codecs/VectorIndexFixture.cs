using System.Numerics.Tensors;
using HybridSearch.Codecs;
using HybridSearch.Querying;
using HybridSearch.Vectors;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace HybridSearch.Tests.Codecs;

/// <summary>Builds small vector indexes on disk through the real IndexWriter and codec, and brute-force truth.</summary>
internal static class VectorIndexFixture
{
    public const string Field = "vec";

    public static float[][] RandomVectors(int n, int dim, int seed, bool clustered = true)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 8).Select(_ => Gaussian(random, dim)).ToArray();
        return Enumerable.Range(0, n).Select(_ =>
        {
            var v = Gaussian(random, dim);
            if (clustered)
            {
                TensorPrimitives.Add(v, centres[random.Next(centres.Length)], v);
            }

            return v;
        }).ToArray();
    }

    private static float[] Gaussian(Random random, int dim) =>
        Enumerable.Range(0, dim).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    public static IndexWriter OpenWriter(Lucene.Net.Store.Directory directory, VectorFieldOptions options, int maxBufferedDocs = -1, OpenMode mode = OpenMode.CREATE_OR_APPEND, bool compoundFiles = true)
    {
        HybridCodec.Register();
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            Codec = new HybridCodec(new Dictionary<string, VectorFieldOptions> { [Field] = options }),
            OpenMode = mode,
            UseCompoundFile = compoundFiles,
        };
        if (maxBufferedDocs > 0)
        {
            config.MaxBufferedDocs = maxBufferedDocs;
            config.RAMBufferSizeMB = IndexWriterConfig.DISABLE_AUTO_FLUSH;
        }

        return new IndexWriter(directory, config);
    }

    public static Document NewDocument(int id, float[]? vector, VectorFieldOptions options)
    {
        var doc = new Document
        {
            new StringField("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), Lucene.Net.Documents.Field.Store.YES),
            new StringField("mod10", (id % 10).ToString(System.Globalization.CultureInfo.InvariantCulture), Lucene.Net.Documents.Field.Store.NO),
        };
        if (vector is not null)
        {
            doc.Add(new KnnVectorField(Field, vector, options));
        }

        return doc;
    }

    public static void AddAll(IndexWriter writer, float[][] vectors, VectorFieldOptions options)
    {
        for (var i = 0; i < vectors.Length; i++)
        {
            writer.AddDocument(NewDocument(i, vectors[i], options));
        }
    }

    /// <summary>Exact top-k ids by the similarity, ties by lower id, among ids accepted by <paramref name="accept"/>.</summary>
    public static int[] BruteForce(float[][] vectors, float[] query, int k, VectorSimilarity similarity, Func<int, bool>? accept = null)
    {
        return Enumerable.Range(0, vectors.Length)
            .Where(i => accept is null || accept(i))
            .Select(i => (Id: i, Score: Similarity(vectors[i], query, similarity)))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Id)
            .Take(k)
            .Select(x => x.Id)
            .ToArray();
    }

    public static float Similarity(float[] a, float[] b, VectorSimilarity similarity) => similarity switch
    {
        VectorSimilarity.Cosine => TensorPrimitives.CosineSimilarity(a, b),
        VectorSimilarity.DotProduct => TensorPrimitives.Dot(a, b),
        _ => -TensorPrimitives.Distance(a, b) * TensorPrimitives.Distance(a, b),
    };

    public static int[] Search(IndexSearcher searcher, float[] query, int k, Query? filter = null, int? ef = null)
    {
        var top = searcher.Search(new KnnVectorQuery(Field, query, k, filter, ef), k);
        return top.ScoreDocs.Select(sd => int.Parse(searcher.Doc(sd.Doc).Get("id"), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    public static double Recall(int[] found, int[] truth) => truth.Length == 0 ? 1 : found.Intersect(truth).Count() / (double)truth.Length;
}
