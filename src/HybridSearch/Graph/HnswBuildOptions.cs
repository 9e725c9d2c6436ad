namespace HybridSearch.Graph;

/// <summary>Parameters of an HNSW graph build. Every setting is checked when set, also in a <c>with</c> expression,
/// so an instance always holds a valid build.</summary>
/// <example>
/// <code>
/// var options = new HnswBuildOptions { M = 8, EfConstruction = 64 };
/// </code>
/// </example>
public sealed record HnswBuildOptions
{
    /// <summary>Smallest accepted <see cref="M"/>.</summary>
    public const int MinM = 2;

    /// <summary>Largest accepted <see cref="M"/>.</summary>
    public const int MaxM = 512;

    /// <summary>Smallest accepted <see cref="EfConstruction"/>.</summary>
    public const int MinEfConstruction = 1;

    /// <summary>Largest accepted <see cref="EfConstruction"/> (the one limit for every graph build, a vector field's
    /// options included). 10,000 rather than 100,000: beyond a few thousand a build gains no recall and costs minutes
    /// per thousand vectors, and the vector field's options, the user-facing path, always stopped here.</summary>
    public const int MaxEfConstruction = 10_000;

    /// <summary>Maximum neighbours per node on the upper levels (level 0 allows 2*M); in
    /// [<see cref="MinM"/>, <see cref="MaxM"/>], default 16.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int M
    {
        get;
        init => field = value is >= MinM and <= MaxM
            ? value
            : throw new ArgumentOutOfRangeException(nameof(M), value, $"HnswBuildOptions.M must be between {MinM} and {MaxM}.");
    } = 16;

    /// <summary>Beam width of the search that finds a new node's neighbours; in
    /// [<see cref="MinEfConstruction"/>, <see cref="MaxEfConstruction"/>], default 100.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int EfConstruction
    {
        get;
        init => field = value is >= MinEfConstruction and <= MaxEfConstruction
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EfConstruction), value, $"HnswBuildOptions.EfConstruction must be between {MinEfConstruction} and {MaxEfConstruction}.");
    } = 100;

    /// <summary>Seed of the random generator that draws node levels; the same seed gives the same graph. Default 42.</summary>
    public long Seed { get; init; } = 42;
}
