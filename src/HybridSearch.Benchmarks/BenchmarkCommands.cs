namespace HybridSearch.Benchmarks;

/// <summary>Dispatches the benchmark commands; each reports errors in one line and exits non-zero.</summary>
internal static class BenchmarkCommands
{
    private const string Usage = """
        usage: HybridSearch.Benchmarks <command> [options]
          beir --collection DIR --leg bm25|dense|hybrid --run OUT.trec [--top 1000]
          fusion --collection DIR [--out DIR] [--top 1000] [--methods rrf60,minmax,bounded] [--offtopic TEXT] [--save-legs DIR]
          latency --collection DIR [--rounds 3]
          fusion-signals (--index DIR --queries JUDGED.jsonl[,JUDGED2.jsonl...] [--save-legs DIR] | --legs NAME.legs.jsonl[,...]) [--variants ...]
          visual-fusion --folder COCO_DIR [--outside DIR] [--methods rrf60,minmax,bounded] [--captions text|image] [--query-caption N] [--save-legs DIR]
          knn --base B.fvecs --query Q.fvecs --k 10 --m 16 --ef-construction 100 --ef 10,20,40 --out-prefix P [--filter-mod N] [--groundtruth G.ivecs] [--write-path library|single-segment] [--quantize none|int8] [--commit-every N] [--force-merge]
          knn-merge --base B.fvecs [--split N] [--m 16] [--ef-construction 100] [--build-threads 1] [--query Q.fvecs --groundtruth G.ivecs --k 10 --ef 40,80]
          ingest (--manifest M.jsonl | --folder DIR) --index DIR [--allow-path DIR]... [--batch-size 32] [--commit-every 500] [--sample N] [--text minilm|none] [--workers N]
          image-retrieval --folder DIR [--index DIR] [--k 10]
          soak [--seconds 60] [--threads 4 | --processes 4] [--records 400] [--commit-every 20] [--seed 1]
          decode --manifest M.jsonl [--compare M2.jsonl] [--rounds 3]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }

        try
        {
            var options = BenchmarkArguments.Parse(args.AsSpan(1));
            switch (args[0])
            {
                case "beir":
                    await Task.Run(() => BeirBenchmark.Run(options));
                    return 0;
                case "fusion":
                    await Task.Run(() => FusionBenchmark.Run(options));
                    return 0;
                case "fusion-signals":
                    await FusionSignalsBenchmark.RunAsync(options);
                    return 0;
                case "visual-fusion":
                    await Task.Run(() => VisualFusionBenchmark.Run(options));
                    return 0;
                case "latency":
                    await LatencyBenchmark.RunAsync(options);
                    return 0;
                case "knn":
                    await Task.Run(() => KnnBenchmark.Run(options));
                    return 0;
                case "knn-merge":
                    await Task.Run(() => KnnMergeBenchmark.Run(options));
                    return 0;
                case "ingest":
                    await IngestBenchmark.RunAsync(options);
                    return 0;
                case "decode":
                    await Task.Run(() => DecodeBenchmark.Run(options));
                    return 0;
                case "image-retrieval":
                    await ImageRetrievalBenchmark.RunAsync(options);
                    return 0;
                case "soak":
                    return await SoakBenchmark.RunAsync(options);
                default:
                    Console.Error.WriteLine($"error: unknown command '{args[0]}'.");
                    Console.Error.WriteLine(Usage);
                    return 1;
            }
        }
        catch (BenchmarkArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
