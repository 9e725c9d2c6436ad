using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

public class FusionPagingTests
{
    /// <summary>25 records over two legs; the lexical leg ranks k00..k24, the semantic leg the reverse of its odd keys.</summary>
    private static RankedLeg[] Legs() =>
    [
        new RankedLeg("lexical", Enumerable.Range(0, 25).Select(i => new LegHit($"k{i:00}", 25 - i)).ToArray()),
        new RankedLeg("semantic", Enumerable.Range(0, 25).Where(i => i % 2 == 1).Reverse()
            .Select((i, position) => new LegHit($"k{i:00}", 1f - (position * 0.01f))).ToArray()),
    ];

    [Fact]
    public void SecondPageIsRanksElevenToTwentyOfTheFullList()
    {
        var full = ScoreFusion.Fuse(Legs(), FusionOptions.ReciprocalRank);
        Assert.Equal(25, full.Count);

        var pageOne = ScoreFusion.Page(ScoreFusion.Fuse(Legs(), FusionOptions.ReciprocalRank), 0, 10);
        var pageTwo = ScoreFusion.Page(ScoreFusion.Fuse(Legs(), FusionOptions.ReciprocalRank), 10, 10);

        Assert.Equal(Enumerable.Range(1, 10), pageOne.Select(hit => hit.Rank));
        Assert.Equal(Enumerable.Range(11, 10), pageTwo.Select(hit => hit.Rank));
        Assert.Equal(full.Skip(10).Take(10).Select(hit => hit.Key), pageTwo.Select(hit => hit.Key));
        Assert.Empty(pageOne.Select(hit => hit.Key).Intersect(pageTwo.Select(hit => hit.Key)));
    }

    [Fact]
    public void LastPageIsShortAndBeyondTheEndIsEmpty()
    {
        var full = ScoreFusion.Fuse(Legs(), FusionOptions.ReciprocalRank);

        Assert.Equal([21, 22, 23, 24, 25], ScoreFusion.Page(full, 20, 10).Select(hit => hit.Rank));
        Assert.Empty(ScoreFusion.Page(full, 25, 10));
        Assert.Empty(ScoreFusion.Page(full, 1000, 10));
        Assert.Empty(ScoreFusion.Page([], 0, 10));
    }

    [Fact]
    public void BadPageArgumentsAreRejected()
    {
        var full = ScoreFusion.Fuse(Legs(), FusionOptions.ReciprocalRank);

        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreFusion.Page(full, -1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreFusion.Page(full, 0, 0));
        Assert.Throws<ArgumentNullException>(() => ScoreFusion.Page(null!, 0, 10));
    }

    [Fact]
    public void RequiredWindowIsOffsetPlusPageSize()
    {
        Assert.Equal(10, FusionWindow.Required(0, 10));
        Assert.Equal(20, FusionWindow.Required(10, 10));
        Assert.Equal(int.MaxValue, FusionWindow.Required(int.MaxValue - 1, 1));
    }

    [Fact]
    public void RequiredWindowRejectsBadArgumentsAndOverflow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FusionWindow.Required(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => FusionWindow.Required(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FusionWindow.Required(int.MaxValue, 1));
    }

    [Fact]
    public void LegsCutToTheRequiredWindowReproduceTheirPartOfThePage()
    {
        // A single leg cut to Required(offset, pageSize) yields the same page as the uncut leg.
        var lexical = Legs()[0];
        var window = FusionWindow.Required(10, 10);
        var cut = new RankedLeg("lexical", lexical.Hits.Take(window).ToArray());

        var fromFull = ScoreFusion.Page(ScoreFusion.Fuse([lexical], FusionOptions.ReciprocalRank), 10, 10);
        var fromCut = ScoreFusion.Page(ScoreFusion.Fuse([cut], FusionOptions.ReciprocalRank), 10, 10);

        Assert.Equal(fromFull.Select(hit => (hit.Key, hit.Score)), fromCut.Select(hit => (hit.Key, hit.Score)));
        // One hit short of the window and the page loses its last record.
        var tooShort = new RankedLeg("lexical", lexical.Hits.Take(window - 1).ToArray());
        Assert.Equal(9, ScoreFusion.Page(ScoreFusion.Fuse([tooShort], FusionOptions.ReciprocalRank), 10, 10).Count);
    }
}
