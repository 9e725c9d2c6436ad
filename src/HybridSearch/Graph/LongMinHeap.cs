using System.Runtime.CompilerServices;

namespace HybridSearch.Graph;

/// <summary>
/// Binary min-heap of longs in one reusable array (no allocation once grown). Used with <see cref="ScoredKey"/>
/// keys as a "worst result on top" queue, and with complemented keys (~key) as a "best candidate on top" queue.
/// </summary>
internal sealed class LongMinHeap
{
    private long[] _heap;
    private int _count;

    public LongMinHeap(int capacity) => _heap = new long[Math.Max(capacity, 16)];

    public int Count => _count;

    public long Top => _heap[0];

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(long value)
    {
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        long[] heap = _heap;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            long p = heap[parent];
            if (p <= value)
            {
                break;
            }

            heap[i] = p;
            i = parent;
        }

        heap[i] = value;
    }

    public long Pop()
    {
        long[] heap = _heap;
        long top = heap[0];
        int n = --_count;
        if (n > 0)
        {
            SiftDown(heap, heap[n], n);
        }

        return top;
    }

    /// <summary>Replaces the top with <paramref name="value"/> and restores the heap (cheaper than Pop then Push).</summary>
    public void ReplaceTop(long value) => SiftDown(_heap, value, _count);

    private static void SiftDown(long[] heap, long value, int n)
    {
        int i = 0;
        while (true)
        {
            int child = (i << 1) + 1;
            if (child >= n)
            {
                break;
            }

            long c = heap[child];
            if (child + 1 < n)
            {
                long r = heap[child + 1];
                if (r < c)
                {
                    c = r;
                    child++;
                }
            }

            if (value <= c)
            {
                break;
            }

            heap[i] = c;
            i = child;
        }

        heap[i] = value;
    }
}
