using HybridSearch.Ingestion.Pipeline;

namespace HybridSearch.Tests.Ingestion.Pipeline;

/// <summary>Keeps every progress report in the order it was made, and optionally reacts to each one synchronously.</summary>
internal sealed class RecordingProgress(Action<IngestionProgress>? onReport = null) : IProgress<IngestionProgress>
{
    private readonly List<IngestionProgress> _reports = [];

    public IReadOnlyList<IngestionProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return _reports.ToArray();
            }
        }
    }

    public void Report(IngestionProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        onReport?.Invoke(value);
    }
}
