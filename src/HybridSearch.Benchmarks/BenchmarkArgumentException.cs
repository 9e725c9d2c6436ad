namespace HybridSearch.Benchmarks;

/// <summary>A bad or missing command-line option.</summary>
internal sealed class BenchmarkArgumentException(string message) : Exception(message);
