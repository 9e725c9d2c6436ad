namespace HybridSearch.Querying;

/// <summary>How the visual leg scores a record when the query has several visual probes (several query images,
/// or a query image and a CLIP text vector). Each probe runs its own filtered kNN; a record's score from one probe is
/// its best image's score.</summary>
public enum MultiImageCombination
{
    /// <summary>The record's visual score is its best score over all probes: "looks like any of these". A record
    /// need match one probe only, and its score stays on the kNN scale, comparable with single-image queries.</summary>
    Max = 0,

    /// <summary>The record's visual score is the sum of its scores over the probes that found it: "looks like all of
    /// these" — records close to several probes rise above records close to one.</summary>
    Sum = 1,
}
