using HybridSearch.Benchmarks;



// Measurement contracts: each command prints progress to stderr and one JSON object as its last stdout line.
return await BenchmarkCommands.RunAsync(args);
