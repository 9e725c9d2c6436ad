using HybridSearch.Embedding;
using HybridSearch.Vectors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Cluster.Tests;

/// <summary>A deterministic image embedder without a model: the mean colour of each cell of a 4×4 grid (48 values),
/// L2-normalised. Real decoded images give real neighbourhoods (similar pictures, near vectors), fast and exact.</summary>
internal sealed class GridColourImageEmbedder : IImageEmbedder
{
    public const int Dimension = 48;
    public const string Name = "test-grid-colour-48";

    public EmbedderInfo Info { get; } = new(Name, Dimension, VectorSimilarity.Cosine);

    public IReadOnlyList<float[]> Embed(IReadOnlyList<Image<Rgb24>> images, CancellationToken cancellationToken = default) => images.Select(EmbedOne).ToList();

    private static float[] EmbedOne(Image<Rgb24> image)
    {
        var sums = new double[Dimension];
        var counts = new int[16];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var cell = (y * 4 / rows.Height) * 4 + x * 4 / row.Length;
                    sums[cell * 3] += row[x].R;
                    sums[cell * 3 + 1] += row[x].G;
                    sums[cell * 3 + 2] += row[x].B;
                    counts[cell]++;
                }
            }
        });
        var vector = sums.Select((s, i) => (float)(s / Math.Max(1, counts[i / 3]) + 1)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    public void Dispose()
    {
    }
}
