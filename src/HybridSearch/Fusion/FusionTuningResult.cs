namespace HybridSearch.Fusion;

/// <summary>What <see cref="FusionTuner.Fit"/> measured and fitted.</summary>
/// <param name="Queries">Judged queries used.</param>
/// <param name="Folds">Cross-validation folds.</param>
/// <param name="Metric">The metric fitted and reported.</param>
/// <param name="Default">Mean over folds of the default fusion's held-out metric.</param>
/// <param name="Fitted">Mean over folds of the fitted profiles' held-out metric.</param>
/// <param name="PerFold">Each fold's held-out figures.</param>
/// <param name="Profile">The profile fitted on all queries: what to store and use.</param>
public sealed record FusionTuningResult(int Queries, int Folds, TuningMetric Metric, double Default, double Fitted, IReadOnlyList<FoldScore> PerFold, FusionProfile Profile);
