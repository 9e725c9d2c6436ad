namespace HybridSearch.Querying;

/// <summary>Keeps the k best (ordinal, score) pairs seen: a min-heap on score, ties resolved towards lower ordinals.</summary>
internal sealed class TopKHeap
{
    private readonly int[] _ords;
    private readonly float[] _scores;
    private int _size;

    public TopKHeap(int k)
    {
        _ords = new int[k];
        _scores = new float[k];
    }

    public void Offer(int ord, float score)
    {
        if (_size < _ords.Length)
        {
            _ords[_size] = ord;
            _scores[_size] = score;
            SiftUp(_size++);
        }
        else if (Better(ord, score, _ords[0], _scores[0]))
        {
            _ords[0] = ord;
            _scores[0] = score;
            SiftDown(0);
        }
    }

    /// <summary>Best first; equal scores by ascending ordinal.</summary>
    public (int[] Ordinals, float[] Scores) DrainBestFirst()
    {
        var ords = new int[_size];
        var scores = new float[_size];
        for (var i = _size - 1; i >= 0; i--)
        {
            ords[i] = _ords[0];
            scores[i] = _scores[0];
            _size--;
            _ords[0] = _ords[_size];
            _scores[0] = _scores[_size];
            SiftDown(0);
        }

        return (ords, scores);
    }

    // "a is better than b": higher score, or equal score and lower ordinal.
    private static bool Better(int ordA, float a, int ordB, float b) => a > b || (a == b && ordA < ordB);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Better(_ords[parent], _scores[parent], _ords[i], _scores[i]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = 2 * i + 1;
            if (left >= _size)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < _size && Better(_ords[worst], _scores[worst], _ords[right], _scores[right]))
            {
                worst = right;
            }

            if (!Better(_ords[i], _scores[i], _ords[worst], _scores[worst]))
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_ords[a], _ords[b]) = (_ords[b], _ords[a]);
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
    }
}
