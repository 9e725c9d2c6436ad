using Microsoft.ML.OnnxRuntime;

namespace HybridSearch.Embedding;

/// <summary>Builds the ONNX Runtime session options every embedder uses, so thread settings are applied the same way.</summary>
internal static class OnnxSessionFactory
{
    /// <summary>Creates session options for CPU inference.</summary>
    /// <param name="intraOpThreads">Threads one <c>Run</c> may use; 0 lets ONNX Runtime choose (one per physical core).</param>
    public static SessionOptions CreateOptions(int intraOpThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // Concurrent callers already give inter-request parallelism; a second pool would only oversubscribe the cores.
            InterOpNumThreads = 1,
            IntraOpNumThreads = intraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };

        // Idle ONNX worker threads spin by default; in an ingestion pipeline that burns the CPU the decode workers
        // need between batches (measured: about 5 ms of CPU per image on 2 cores).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>Creates a session from model bytes, disposing the options once the session owns its copy of them.</summary>
    public static InferenceSession Create(byte[] model, int intraOpThreads)
    {
        using var options = CreateOptions(intraOpThreads);
        return new InferenceSession(model, options);
    }

    /// <summary>Creates a session from a model file.</summary>
    public static InferenceSession Create(string modelPath, int intraOpThreads)
    {
        using var options = CreateOptions(intraOpThreads);
        return new InferenceSession(modelPath, options);
    }

    /// <summary>Cancels a running inference when the token fires, so a long batch does not outlive its caller.</summary>
    public static RunOptions CreateRunOptions(CancellationToken cancellationToken, out CancellationTokenRegistration registration)
    {
        var runOptions = new RunOptions();
        registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions)
            : default;
        return runOptions;
    }
}
