namespace HybridSearch.Graph;

/// <summary>
/// Tiny seeded generator (SplitMix64). Used instead of System.Random so node levels, hence graphs, are identical
/// for a given seed on every runtime version.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    public ulong Next()
    {
        ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform double in (0, 1].</summary>
    public double NextOpenZero() => ((Next() >> 11) + 1) * (1.0 / (1UL << 53));
}
