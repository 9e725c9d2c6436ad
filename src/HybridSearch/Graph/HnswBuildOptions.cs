namespace HybridSearch.Graph;

/// <summary>Parameters of an HNSW graph build.</summary>
/// <param name="M">Maximum neighbours per node on the upper levels (level 0 allows 2*M). Must be in [2, 512].</param>
/// <param name="EfConstruction">Beam width of the search that finds a new node's neighbours. Must be in [1, 10000].</param>
/// <param name="Seed">Seed of the random generator that draws node levels; the same seed gives the same graph.</param>
public sealed record HnswBuildOptions(int M = 16, int EfConstruction = 100, long Seed = 42)
{
    /// <summary>Smallest accepted <see cref="M"/>.</summary>
    public const int MinM = 2;

    /// <summary>Largest accepted <see cref="M"/>.</summary>
    public const int MaxM = 512;

    /// <summary>Largest accepted <see cref="EfConstruction"/> (the one limit for every graph build, a vector field's
    /// options included; beyond it a build gains no recall and costs minutes per thousand vectors).</summary>
    public const int MaxEfConstruction = 10_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter that is out of range.</summary>
    public void Validate()
    {
        if (M < MinM || M > MaxM)
        {
            throw new ArgumentOutOfRangeException(nameof(M), M, $"HnswBuildOptions.M must be between {MinM} and {MaxM}.");
        }

        if (EfConstruction < 1 || EfConstruction > MaxEfConstruction)
        {
            throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, $"HnswBuildOptions.EfConstruction must be between 1 and {MaxEfConstruction}.");
        }
    }
}
