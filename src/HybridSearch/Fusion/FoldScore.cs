namespace HybridSearch.Fusion;

/// <summary>One cross-validation fold of <see cref="FusionTuner.Fit"/>: the held-out queries' mean metric under the default fusion and under the profile fitted on the other folds.</summary>
/// <param name="Default">Held-out mean metric of the default fusion.</param>
/// <param name="Fitted">Held-out mean metric of the fitted profile.</param>
/// <param name="Queries">Held-out queries in the fold.</param>
public sealed record FoldScore(double Default, double Fitted, int Queries);
