using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Embedding;

/// <summary>The image side of a <see cref="ClipModel"/>: preprocess, run the vision tower in batches, L2 normalise.</summary>
internal sealed class ClipImageEmbedder : IImageEmbedder
{
    private readonly ClipModel _model;
    private readonly ClipSessions _sessions;
    private readonly int _maxBatchSize;
    private int _disposed;

    public ClipImageEmbedder(ClipModel model, ClipSessions sessions, int maxBatchSize)
    {
        _model = model;
        _sessions = sessions;
        _maxBatchSize = maxBatchSize;
        sessions.AddShare();
    }

    public EmbedderInfo Info => _model.Info;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<Image<Rgb24>> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int size = _model.ImageSize;
        int perImage = 3 * size * size;
        var vectors = new float[images.Count][];
        for (int start = 0; start < images.Count; start += _maxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_maxBatchSize, images.Count - start);
            var pixels = new float[count * perImage];
            for (int i = 0; i < count; i++)
            {
                Image<Rgb24> image = images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(images));
                ClipImagePreprocessor.WriteTensor(image, pixels.AsSpan(i * perImage, perImage), size);
            }

            using OrtValue pixelValues = OrtValue.CreateTensorValueFromMemory(pixels, [count, 3, size, size]);
            var inputs = new Dictionary<string, OrtValue> { [ClipModel.PixelValues] = pixelValues };
            using var dummyText = _sessions.Combined ? ClipTextEmbedder.CreateDummyTextInputs(_model, inputs, _sessions.Vision.InputMetadata.ContainsKey(ClipModel.AttentionMask)) : null;
            float[][] batch = ClipOutputs.RunAndNormalize(_sessions.Vision, inputs, ClipModel.ImageEmbeds, count, _model.Info.Dimension, cancellationToken);
            batch.CopyTo(vectors, start);
        }

        return vectors;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _sessions.ReleaseShare();
        }
    }
}
