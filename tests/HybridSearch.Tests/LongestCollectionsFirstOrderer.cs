using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("HybridSearch.Tests.LongestCollectionsFirstOrderer", "HybridSearch.Tests")]

namespace HybridSearch.Tests;

/// <summary>
/// Starts the longest test collections first. xUnit runs as many collections at once as there are cores and starts
/// them in the orderer's order, so a long collection started late runs alone at the end: with the default order the
/// child-process CLI collection started after three quarters of the run and ran by itself for the last minute on two
/// cores. Longest first (the classic LPT schedule) lets the short collections fill in around the long ones. The list
/// is the measured ranking (trx durations, slowest first); a collection missing from it keeps xUnit's default order
/// after the listed ones, so a stale list only costs time, never correctness.
/// </summary>
public sealed class LongestCollectionsFirstOrderer : ITestCollectionOrderer
{
    // Collection names ([Collection] definitions) and test class names, slowest first.
    private static readonly string[] SlowestFirst =
    [
        Cli.CliCollection.Name,
        Cli.CliProcessCollection.Name,
        "IngestionPipelineTests",
        "MiniLMTextEmbedderTests",
        "TranscriberTests",
        "OffHeapVectorsTests",
        "DicomConformanceTests",
        "BadInputCorpusTests",
        "QuantizedVectorsTests",
        "DicomFuzzTests",
        "EncodedAudioFixtureTests",
        "HnswVectorsFormatTests",
    ];

    private readonly DefaultTestCollectionOrderer _default = new();

    /// <inheritdoc />
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        _default.OrderTestCollections(testCollections).OrderBy(Rank); // OrderBy is stable: the rest keep the default order

    private static int Rank(ITestCollection collection)
    {
        for (var i = 0; i < SlowestFirst.Length; i++)
        {
            // A [Collection] is named by its definition; a class's own collection is "Test collection for Namespace.Class".
            if (collection.DisplayName == SlowestFirst[i] || collection.DisplayName.EndsWith("." + SlowestFirst[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return SlowestFirst.Length;
    }
}
