namespace HybridSearch.Embedding;

/// <summary>Settings of <see cref="ResNet18ImageEmbedder"/>. All have working defaults.</summary>
public sealed record ResNet18ImageEmbedderOptions
{
    /// <summary>Folder that contains <c>DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx</c> and
    /// <c>DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>; null means <see cref="AppContext.BaseDirectory"/>, where the
    /// NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 copies them at build time.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Most images sent to the model in one run; larger inputs are split. Default 16.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>How non-square images are fitted to 224×224; default <see cref="ImageFit.CenterCrop"/> (as ML.NET).</summary>
    public ImageFit Fit { get; init; } = ImageFit.CenterCrop;
}
