namespace HybridSearch.Graph;

/// <summary>The <see cref="Capacity"/> largest floats offered, as a min-heap (smallest kept on top). Reusable.</summary>
internal sealed class FloatBestQueue
{
    private float[] _heap = new float[16];
    private int _capacity = 1;
    private int _count;

    public int Capacity => _capacity;

    public bool IsFull => _count == _capacity;

    /// <summary>The smallest kept value; only meaningful when <see cref="IsFull"/>.</summary>
    public float Minimum => _heap[0];

    public void Reset(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (_heap.Length < capacity)
        {
            _heap = new float[capacity];
        }

        _capacity = capacity;
        _count = 0;
    }

    public void Offer(float value)
    {
        float[] heap = _heap;
        if (_count < _capacity)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (heap[parent] <= value)
                {
                    break;
                }

                heap[i] = heap[parent];
                i = parent;
            }

            heap[i] = value;
            return;
        }

        if (value <= heap[0])
        {
            return;
        }

        int n = _count;
        int j = 0;
        while (true)
        {
            int child = 2 * j + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= value)
            {
                break;
            }

            heap[j] = heap[child];
            j = child;
        }

        heap[j] = value;
    }
}
