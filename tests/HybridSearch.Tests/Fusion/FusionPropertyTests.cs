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

    private static readonly Gen<(RankedLeg[] Legs, FusionOptions Options)> GenInput =
        Gen.Select(
            GenLeg.Array[0, 4],
            Gen.Enum<FusionMethod>(),
            Gen.Int[0, 100],
            (legs, method, k) => (
                legs.Select((leg, i) => new RankedLeg($"leg{i}", leg.Hits, leg.Weight, leg.MinScore, TheoreticalMin, TheoreticalMax)).ToArray(),
                new FusionOptions { Method = method, RrfK = k }));

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
