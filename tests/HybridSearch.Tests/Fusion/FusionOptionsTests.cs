using HybridSearch.Fusion;

namespace HybridSearch.Tests.Fusion;

public class FusionOptionsTests
{
    [Fact]
    public void DefaultIsReciprocalRankWithKSixty()
    {
        Assert.Equal(FusionMethod.ReciprocalRank, FusionOptions.Default.Method);
        Assert.Equal(60.0, FusionOptions.Default.RrfK);
        Assert.Equal(FusionOptions.Default, new FusionOptions());
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadRrfKIsRejectedAlsoInWithExpressions(double k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FusionOptions { RrfK = k });
        Assert.Throws<ArgumentOutOfRangeException>(() => FusionOptions.Default with { RrfK = k });
    }

    [Fact]
    public void ZeroRrfKIsAllowed()
    {
        Assert.Equal(0.0, (FusionOptions.Default with { RrfK = 0 }).RrfK);
    }

    [Fact]
    public void UndefinedMethodIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FusionOptions { Method = (FusionMethod)42 });

        Assert.Equal("Method", error.ParamName);
    }

    [Fact]
    public void WithChangesOnlyTheCopy()
    {
        var zScore = FusionOptions.Default with { Method = FusionMethod.ZScore };

        Assert.Equal(FusionMethod.ZScore, zScore.Method);
        Assert.Equal(60.0, zScore.RrfK);
        Assert.Equal(FusionMethod.ReciprocalRank, FusionOptions.Default.Method);
    }
}
