using System.Buffers;

namespace HybridSearch.Codecs;

/// <summary>Exposes a block of unmanaged memory (part of a mapped index file) as <see cref="Memory{T}"/>, so types
/// that take memory (the HNSW graph's level 0) need not know where it lives. The owner keeps the block mapped.</summary>
internal sealed unsafe class UnmanagedMemoryManager<T>(T* pointer, int length) : MemoryManager<T>
    where T : unmanaged
{
    public override Span<T> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, length);
        return new MemoryHandle(pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
