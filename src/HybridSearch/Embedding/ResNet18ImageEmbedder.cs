using HybridSearch.Vectors;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Embedding;

/// <summary>
/// 512-dimensional image features from ResNet18 (ImageNet-trained, classifier head removed), the models ML.NET's
/// <c>DnnImageFeaturizer</c> uses. The chain is the same as ML.NET's: image → 224×224 RGB planar 0–255
/// (<see cref="ResNetImagePreprocessor"/>) → <c>ResNetPreprocess.onnx</c> (to BGR, minus the mean image) →
/// <c>ResNet18.onnx</c> → its global average pooling output (<c>Pooling395_Output_0</c>, [N, 512, 1, 1]) → L2 normalised.
/// Both shipped models declare a batch of exactly 1; they are loaded with a symbolic batch dimension so one run
/// processes up to <see cref="ResNet18ImageEmbedderOptions.MaxBatchSize"/> images. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var embedder = new ResNet18ImageEmbedder();
/// IReadOnlyList&lt;float[]&gt; vectors = embedder.Embed(images);
/// </code>
/// </example>
public sealed class ResNet18ImageEmbedder : IImageEmbedder
{
    /// <summary>Path of the preprocessing model relative to the model directory.</summary>
    public const string PreprocessModelRelativePath = "DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";

    /// <summary>Path of the ResNet18 model relative to the model directory.</summary>
    public const string ResNetModelRelativePath = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>The NuGet package that ships both models.</summary>
    public const string ModelPackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    private const int FeatureDimension = 512;
    private const string PooledOutputName = "Pooling395_Output_0";

    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _resnet;
    private readonly string _preprocessInput;
    private readonly string _preprocessOutput;
    private readonly string _resnetInput;
    private readonly string _resnetOutput;
    private readonly ResNet18ImageEmbedderOptions _options;
    private int _disposed;

    /// <summary>Loads both models (about 45 MB) from the model directory.</summary>
    /// <param name="options">Settings; null uses the defaults.</param>
    /// <exception cref="FileNotFoundException">A model file is missing; the message names the path and the package.</exception>
    /// <exception cref="InvalidDataException">A model does not have the expected inputs and outputs.</exception>
    public ResNet18ImageEmbedder(ResNet18ImageEmbedderOptions? options = null)
    {
        _options = options ?? new ResNet18ImageEmbedderOptions();
        string directory = Path.GetFullPath(_options.ModelDirectory ?? AppContext.BaseDirectory);
        byte[] preprocessModel = ReadModel(directory, PreprocessModelRelativePath);
        byte[] resnetModel = ReadModel(directory, ResNetModelRelativePath);

        _preprocess = OnnxSessionFactory.Create(OnnxBatchDimension.MakeDynamic(preprocessModel, "N"), _options.IntraOpThreads);
        try
        {
            _resnet = OnnxSessionFactory.Create(OnnxBatchDimension.MakeDynamic(resnetModel, "N"), _options.IntraOpThreads);
            (_preprocessInput, _preprocessOutput) = SingleInputOutput(_preprocess, Path.Combine(directory, PreprocessModelRelativePath));
            (_resnetInput, _resnetOutput) = SingleInputOutput(_resnet, Path.Combine(directory, ResNetModelRelativePath));
            if (_resnetOutput != PooledOutputName || _resnet.OutputMetadata[_resnetOutput].Dimensions[1] != FeatureDimension)
            {
                throw new InvalidDataException($"{Path.Combine(directory, ResNetModelRelativePath)}: expected the pooled output '{PooledOutputName}' with {FeatureDimension} channels, found '{_resnetOutput}'.");
            }
        }
        catch
        {
            _preprocess.Dispose();
            _resnet?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public EmbedderInfo Info { get; } = new("resnet18", FeatureDimension, VectorSimilarity.Cosine);

    /// <inheritdoc />
    public IReadOnlyList<float[]> Embed(IReadOnlyList<Image<Rgb24>> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var vectors = new float[images.Count][];
        for (int start = 0; start < images.Count; start += _options.MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_options.MaxBatchSize, images.Count - start);
            EmbedBatch(images, start, count, vectors, cancellationToken);
        }

        return vectors;
    }

    /// <summary>Releases the two inference sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _preprocess.Dispose();
            _resnet.Dispose();
        }
    }

    private void EmbedBatch(IReadOnlyList<Image<Rgb24>> images, int start, int count, float[][] vectors, CancellationToken cancellationToken)
    {
        var pixels = new float[count * ResNetImagePreprocessor.TensorLength];
        for (int i = 0; i < count; i++)
        {
            Image<Rgb24> image = images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(images));
            ResNetImagePreprocessor.WriteTensor(image, pixels.AsSpan(i * ResNetImagePreprocessor.TensorLength, ResNetImagePreprocessor.TensorLength), _options.Fit);
        }

        long[] shape = [count, 3, ResNetImagePreprocessor.Size, ResNetImagePreprocessor.Size];
        using RunOptions runOptions = OnnxSessionFactory.CreateRunOptions(cancellationToken, out CancellationTokenRegistration registration);
        using (registration)
        {
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(pixels, shape);
            using IDisposableReadOnlyCollection<OrtValue> preprocessed = _preprocess.Run(
                runOptions, new Dictionary<string, OrtValue> { [_preprocessInput] = input }, [_preprocessOutput]);
            using IDisposableReadOnlyCollection<OrtValue> pooled = _resnet.Run(
                runOptions, new Dictionary<string, OrtValue> { [_resnetInput] = preprocessed[0] }, [_resnetOutput]);
            ReadOnlySpan<float> features = pooled[0].GetTensorDataAsSpan<float>();
            for (int i = 0; i < count; i++)
            {
                float[] vector = features.Slice(i * FeatureDimension, FeatureDimension).ToArray();
                VectorNormalization.NormalizeInPlace(vector);
                vectors[start + i] = vector;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static byte[] ReadModel(string directory, string relativePath)
    {
        string path = Path.Combine(directory, relativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"ResNet18 model file not found: {path}. It is provided by the NuGet package {ModelPackageId} (its build props copy " +
                $"DnnImageModels/ into the output folder of every project that references it); reference that package or set " +
                $"{nameof(ResNet18ImageEmbedderOptions)}.{nameof(ResNet18ImageEmbedderOptions.ModelDirectory)} to the folder that contains DnnImageModels/.",
                path);
        }

        return File.ReadAllBytes(path);
    }

    private static (string Input, string Output) SingleInputOutput(InferenceSession session, string path)
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
        {
            throw new InvalidDataException($"{path}: expected one input and one output, found inputs [{string.Join(", ", session.InputMetadata.Keys)}] and outputs [{string.Join(", ", session.OutputMetadata.Keys)}].");
        }

        return (session.InputMetadata.Keys.First(), session.OutputMetadata.Keys.First());
    }
}
