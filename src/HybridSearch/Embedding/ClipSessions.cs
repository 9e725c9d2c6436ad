using Microsoft.ML.OnnxRuntime;

namespace HybridSearch.Embedding;

/// <summary>
/// The ONNX sessions of one CLIP folder, shared by the <see cref="ClipModel"/> and its two embedders. Each holder
/// releases its own share; the sessions are disposed when the last share is released, so any disposal order is safe.
/// </summary>
internal sealed class ClipSessions
{
    private int _shares = 1;

    public ClipSessions(InferenceSession vision, InferenceSession text)
    {
        Vision = vision;
        Text = text;
    }

    /// <summary>Session computing <c>image_embeds</c> (the same object as <see cref="Text"/> for a single model.onnx).</summary>
    public InferenceSession Vision { get; }

    /// <summary>Session computing <c>text_embeds</c>.</summary>
    public InferenceSession Text { get; }

    /// <summary>True when one graph holds both towers and each run must feed the other tower's inputs too.</summary>
    public bool Combined => ReferenceEquals(Vision, Text);

    public void AddShare() => Interlocked.Increment(ref _shares);

    public void ReleaseShare()
    {
        if (Interlocked.Decrement(ref _shares) == 0)
        {
            Vision.Dispose();
            if (!Combined)
            {
                Text.Dispose();
            }
        }
    }
}
