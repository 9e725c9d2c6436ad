namespace HybridSearch.Cli.Demo;

/// <summary>Where in an audio clip a spoken showcase hit should point.</summary>
/// <param name="Id">The record id.</param>
/// <param name="Audio">The audio path, relative to the showcase file's folder.</param>
/// <param name="StartSeconds">Expected segment start.</param>
/// <param name="EndSeconds">Expected segment end.</param>
/// <param name="Says">What is said in that segment.</param>
internal sealed record ShowcaseExpectedTime(string Id, string Audio, double StartSeconds, double EndSeconds, string Says);
