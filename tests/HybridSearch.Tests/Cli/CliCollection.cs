namespace HybridSearch.Tests.Cli;

/// <summary>CLI tests load ONNX models and build indexes; they run one at a time so they don't compete for the CPU.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Cli";
}
