namespace HybridSearch.Embedding;

/// <summary>Settings of <see cref="ResNet18ImageEmbedder"/>. All have working defaults; every setting is checked when
/// set, including in <c>with</c> expressions.</summary>
public sealed record ResNet18ImageEmbedderOptions
{
    /// <summary>Folder that contains <c>DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx</c> and
    /// <c>DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>; null means <see cref="AppContext.BaseDirectory"/>, where the
    /// NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 copies them at build time.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int IntraOpThreads
    {
        get;
        init => field = EmbedderOptionLimits.IntraOpThreads(value);
    }

    /// <summary>Most images sent to the model in one run; larger inputs are split. Default 16, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxBatchSize
    {
        get;
        init => field = EmbedderOptionLimits.MaxBatchSize(value);
    } = 16;

    /// <summary>How non-square images are fitted to 224×224; default <see cref="ImageFit.CenterCrop"/> (as ML.NET).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="ImageFit"/>.</exception>
    public ImageFit Fit
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Fit), value, "Not a defined image fit.");
    } = ImageFit.CenterCrop;
}
