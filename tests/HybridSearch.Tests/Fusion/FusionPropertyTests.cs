using CsCheck;
using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

public class FusionPropertyTests
{
    private const float TheoreticalMin = -5;
    private const float TheoreticalMax = 1000;

    /// <summary>A leg of up to 15 hits over 12 keys (so keys repeat within and across legs), best first.</summary>
    private static readonly Gen<(LegHit[] Hits, float Weight, float? MinScore)> GenLeg =
        Gen.Select(
            Gen.Select(Gen.Int[0, 11], Gen.Int[-20, 20], (key, score) => new LegHit($"r{key}", score / 4f)).Array[0, 15],
            Gen.OneOf(0f, 0.5f, 1f, 2.5f),
            Gen.OneOf<float?>(null, null, -1f, 0f, 2f),
            (hits, weight, minScore) => (hits.OrderByDescending(hit => hit.Score).ToArray(), weight, minScore));

    /// <summary>Corroboration tags of a leg: which query input it answers and what it searches (null: no part).</summary>
    private static readonly Gen<(string? Input, string? Content)> GenTags =
        Gen.Select(Gen.OneOf<string?>(null, "text", "text", "image"), Gen.OneOf<string?>(null, "record text", "record text", "transcripts"), (input, content) => (input, content));

    private static readonly Gen<(RankedLeg[] Legs, FusionOptions Options)> GenInput =
        Gen.Select(
            Gen.Select(GenLeg, GenTags).Array[0, 4],
            Gen.Enum<FusionMethod>(),
            Gen.Int[0, 100],
            Gen.Bool,
            (legs, method, k, corroboration) => (
                legs.Select((leg, i) => new RankedLeg($"leg{i}", leg.Item1.Hits, leg.Item1.Weight, leg.Item1.MinScore, TheoreticalMin, TheoreticalMax,
                    queryInput: leg.Item2.Input, searchedContent: leg.Item2.Content)).ToArray(),
                new FusionOptions { Method = method, RrfK = k, Corroboration = corroboration }));

    [Fact]
    public void FusedListIsTheRankedUnionOfTheLegWindows()
    {
        GenInput.Sample(input =>
        {
            var fused = ScoreFusion.Fuse(input.Legs, input.Options);

            // Exactly the union of keys that survive each leg's MinScore.
            var expectedKeys = input.Legs
                .SelectMany(leg => leg.Hits.Where(hit => leg.MinScore is not float floor || hit.Score >= floor))
                .Select(hit => hit.Key)
                .ToHashSet(StringComparer.Ordinal);
            Assert.Equal(expectedKeys.Count, fused.Count);
            Assert.True(expectedKeys.SetEquals(fused.Select(hit => hit.Key)));

            // Ranks 1..n; scores non-increasing; equal scores ordered by key.
            Assert.Equal(Enumerable.Range(1, fused.Count), fused.Select(hit => hit.Rank));
            for (var i = 1; i < fused.Count; i++)
            {
                Assert.True(fused[i - 1].Score >= fused[i].Score);
                if (fused[i - 1].Score == fused[i].Score)
                {
                    Assert.True(string.CompareOrdinal(fused[i - 1].Key, fused[i].Key) < 0);
                }
            }

            foreach (var hit in fused)
            {
                // Contributions are non-negative and, added in leg order, give the fused score exactly.
                var sum = 0.0;
                foreach (var contribution in hit.Legs.Values)
                {
                    Assert.True(contribution.NormalizedScore >= 0);
                    Assert.True(contribution.Contribution >= 0);
                    sum += contribution.Contribution;
                }

                // Corroboration only ever lowers a weight, never to 0, and the same for every hit of a leg.
                foreach (var (name, contribution) in hit.Legs)
                {
                    var leg = input.Legs.Single(l => l.Name == name);
                    Assert.InRange(contribution.Weight, leg.Weight > 0 ? double.Epsilon : 0, leg.Weight);
                    Assert.Equal(contribution.Weight * contribution.NormalizedScore, contribution.Contribution);
                    Assert.All(fused.SelectMany(other => other.Legs.Where(l => l.Key == name)), l => Assert.Equal(contribution.Weight, l.Value.Weight));
                    if (!input.Options.Corroboration || input.Options.Method != FusionMethod.BoundedScore || leg.QueryInput is null)
                    {
                        Assert.Equal(leg.Weight, contribution.Weight);
                    }
                }

                Assert.Equal(hit.Score, sum);

                // Listed legs are exactly those whose window holds the key, in leg order, with the window rank.
                var expectedLegs = input.Legs
                    .Select(leg => (leg.Name, Window: Window(leg)))
                    .Where(leg => leg.Window.Contains(hit.Key))
                    .ToArray();
                Assert.Equal(expectedLegs.Select(leg => leg.Name), hit.Legs.Keys);
                foreach (var (name, window) in expectedLegs)
                {
                    Assert.Equal(window.IndexOf(hit.Key) + 1, hit.Legs[name].Rank);
                }
            }

            // Pages of size 3 tile the full list.
            var paged = Enumerable.Range(0, (fused.Count / 3) + 1).SelectMany(page => ScoreFusion.Page(fused, page * 3, 3));
            Assert.Equal(fused, paged);
        });
    }

    /// <summary>Keys of a leg's window, computed independently of the library: filter, then first occurrence.</summary>
    private static List<string> Window(RankedLeg leg) =>
        leg.Hits.Where(hit => leg.MinScore is not float floor || hit.Score >= floor).Select(hit => hit.Key).Distinct().ToList();
}
