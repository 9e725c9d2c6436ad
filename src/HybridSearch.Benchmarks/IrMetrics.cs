namespace HybridSearch.Benchmarks;

/// <summary>MAP (depth 1000), nDCG@10 with graded gains 2^g − 1, and Recall@100 over judged queries — computed exactly
/// as <c>/work/shared/eval/tools/ir_metrics.py</c> does (a run's list per query is taken in score order, ties in
/// file order; unretrieved judged queries count 0).</summary>
internal static class IrMetrics
{
    public sealed record Scores(int Queries, double Map, double Ndcg10, double Recall100);

    public static Dictionary<string, Dictionary<string, int>> LoadQrels(string path)
    {
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var first = true;
        foreach (var line in File.ReadLines(path))
        {
            if (first && line.StartsWith("query-id", StringComparison.Ordinal))
            {
                first = false;
                continue;
            }

            first = false;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && (int)double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) is var grade && grade > 0)
            {
                if (!qrels.TryGetValue(parts[0], out var judged))
                {
                    qrels[parts[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                judged[parts[1]] = grade;
            }
        }

        return qrels;
    }

    /// <param name="qrels">Judgements.</param>
    /// <param name="run">Per query id, doc ids best first (already in score order).</param>
    public static Scores Compute(IReadOnlyDictionary<string, Dictionary<string, int>> qrels, IReadOnlyDictionary<string, List<string>> run)
    {
        double ap = 0, ndcg = 0, recall = 0;
        foreach (var (query, relevant) in qrels)
        {
            var ranked = run.TryGetValue(query, out var list) ? list.Take(1000).ToList() : [];
            int hits = 0;
            double sum = 0;
            for (var i = 0; i < ranked.Count; i++)
            {
                if (relevant.ContainsKey(ranked[i]))
                {
                    hits++;
                    sum += hits / (double)(i + 1);
                }
            }

            ap += sum / relevant.Count;
            double dcg = 0;
            for (var i = 0; i < Math.Min(10, ranked.Count); i++)
            {
                dcg += (Math.Pow(2, relevant.GetValueOrDefault(ranked[i])) - 1) / Math.Log2(i + 2);
            }

            var ideal = relevant.Values.OrderDescending().Take(10).Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
            ndcg += ideal > 0 ? dcg / ideal : 0;
            recall += ranked.Take(100).Distinct().Count(relevant.ContainsKey) / (double)relevant.Count;
        }

        var n = qrels.Count;
        return new Scores(n, Math.Round(ap / n, 4), Math.Round(ndcg / n, 4), Math.Round(recall / n, 4));
    }
}
