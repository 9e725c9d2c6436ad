using System.Runtime.CompilerServices;

namespace HybridSearch.Graph;

/// <summary>
/// Packs (score, ordinal) into one long whose natural order is "better first wins": a higher score gives a larger
/// key, and on equal scores the lower ordinal gives the larger key. Heaps over packed longs compare with one
/// instruction and make tie-breaks by ordinal (hence determinism) automatic.
/// </summary>
internal static class ScoredKey
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Pack(float score, int ordinal)
    {
        int bits = BitConverter.SingleToInt32Bits(score);
        bits ^= (bits >> 31) & 0x7fffffff; // monotone float -> int mapping (negative floats reverse their order)
        return ((long)bits << 32) | (uint)~ordinal;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ordinal(long key) => ~(int)key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(long key)
    {
        int bits = (int)(key >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return BitConverter.Int32BitsToSingle(bits);
    }
}
