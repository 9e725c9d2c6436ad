using HybridSearch.Indexing;

namespace HybridSearch.Tests;

/// <summary>The error contract: every error a user can cause derives from <see cref="HybridSearchException"/>.</summary>
public sealed class ErrorContractTests
{
    [Fact]
    public void EveryPublicExceptionOfTheLibraryIsAHybridSearchExceptionExceptCancellation()
    {
        var exceptions = typeof(HybridIndex).Assembly.GetExportedTypes()
            .Where(type => typeof(Exception).IsAssignableFrom(type))
            .ToList();
        Assert.Contains(typeof(IndexCorruptException), exceptions);
        Assert.Contains(typeof(IndexLockedException), exceptions);
        var outside = exceptions
            .Where(type => !typeof(HybridSearchException).IsAssignableFrom(type) && !typeof(OperationCanceledException).IsAssignableFrom(type))
            .Select(type => type.FullName)
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void TheCorruptionMessageNamesTheIndexAndTheFiles()
    {
        var error = new IndexCorruptException("/data/idx", ["_3.fdt", "_3.si"], "checksum failed");
        Assert.Equal("index '/data/idx' is corrupt: file '_3.fdt', '_3.si': checksum failed", error.Message);
        Assert.IsAssignableFrom<HybridSearchException>(error);
    }
}
