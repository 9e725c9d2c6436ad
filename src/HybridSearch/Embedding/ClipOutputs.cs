using HybridSearch.Vectors;
using Microsoft.ML.OnnxRuntime;

namespace HybridSearch.Embedding;

/// <summary>Runs a CLIP tower and turns its [N, D] embedding output into unit vectors.</summary>
internal static class ClipOutputs
{
    public static float[][] RunAndNormalize(InferenceSession session, Dictionary<string, OrtValue> inputs, string output, int rows, int dimension, CancellationToken cancellationToken)
    {
        using RunOptions runOptions = OnnxSessionFactory.CreateRunOptions(cancellationToken, out CancellationTokenRegistration registration);
        using (registration)
        {
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, inputs, [output]);
            long[] shape = outputs[0].GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != rows || shape[1] != dimension)
            {
                throw new InvalidDataException($"CLIP output '{output}' has shape [{string.Join(", ", shape)}]; expected [{rows}, {dimension}].");
            }

            ReadOnlySpan<float> data = outputs[0].GetTensorDataAsSpan<float>();
            var vectors = new float[rows][];
            for (int r = 0; r < rows; r++)
            {
                vectors[r] = data.Slice(r * dimension, dimension).ToArray();
                VectorNormalization.NormalizeInPlace(vectors[r]);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return vectors;
        }
    }
}
