namespace HybridSearch.Graph;

/// <summary>
/// The best similarities found so far by a search spread over several graphs (one per segment), shared by the
/// per-graph searches so that a later graph stops expanding candidates that cannot enter the global top
/// (Lucene's MultiLeafKnnCollector idea). Holds the <see cref="Capacity"/> best similarities offered; its minimum is the
/// global bound once that many were offered. Thread-safe: searches on several threads may share one instance.
/// </summary>
internal sealed class SharedScoreBound
{
    private readonly float[] _heap; // min-heap of the best similarities offered so far
    private readonly object _gate = new();
    private int _count;
    private float _min = float.NegativeInfinity;

    /// <summary>Creates a bound over the best <paramref name="capacity"/> similarities (the beam width ef).</summary>
    public SharedScoreBound(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _heap = new float[capacity];
    }

    /// <summary>How many similarities the bound keeps.</summary>
    public int Capacity => _heap.Length;

    /// <summary>The smallest of the <see cref="Capacity"/> best similarities offered, or negative infinity while fewer
    /// were offered.</summary>
    public float Minimum => Volatile.Read(ref _min);

    /// <summary>Adds similarities of distinct accepted nodes and returns the new <see cref="Minimum"/>.</summary>
    public float Offer(ReadOnlySpan<float> similarities)
    {
        lock (_gate)
        {
            foreach (float s in similarities)
            {
                if (_count < _heap.Length)
                {
                    SiftUp(s);
                }
                else if (s > _heap[0])
                {
                    SiftDown(s);
                }
            }

            float min = _count == _heap.Length ? _heap[0] : float.NegativeInfinity;
            Volatile.Write(ref _min, min);
            return min;
        }
    }

    private void SiftUp(float value)
    {
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_heap[parent] <= value)
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = value;
    }

    private void SiftDown(float value)
    {
        int n = _count;
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && _heap[child + 1] < _heap[child])
            {
                child++;
            }

            if (_heap[child] >= value)
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        _heap[i] = value;
    }
}
