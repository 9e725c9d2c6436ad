using HybridSearch.Fusion;
using HybridSearch.Querying;

namespace HybridSearch.Tests.Fusion;

public class FusionOptionsTests
{
    [Fact]
    public void DefaultIsBoundedWithCorroborationAndNarrowingAndIsTheSearchDefault()
    {
        Assert.Equal(FusionMethod.BoundedScore, FusionOptions.Default.Method);
        Assert.True(FusionOptions.Default.Corroboration);
        Assert.True(FusionOptions.Default.Discrimination);
        Assert.Same(FusionOptions.Default, HybridSearchOptions.Default.Fusion);
    }

    [Fact]
    public void ReciprocalRankIsKSixtyWithEveryRuleOffAndIsANewInstance()
    {
        Assert.Equal(FusionMethod.ReciprocalRank, FusionOptions.ReciprocalRank.Method);
        Assert.Equal(60.0, FusionOptions.ReciprocalRank.RrfK);
        Assert.False(FusionOptions.ReciprocalRank.Corroboration);
        Assert.False(FusionOptions.ReciprocalRank.Discrimination);
        Assert.Equal(FusionOptions.ReciprocalRank, new FusionOptions());
    }

    [Fact]
    public void AProfileWithoutSettingsReadsAsTheDefault()
    {
        Assert.Equal(FusionOptions.Default, FusionProfile.FromJson("{}").Fusion);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadRrfKIsRejectedAlsoInWithExpressions(double k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FusionOptions { RrfK = k });
        Assert.Throws<ArgumentOutOfRangeException>(() => FusionOptions.ReciprocalRank with { RrfK = k });
    }

    [Fact]
    public void ZeroRrfKIsAllowed()
    {
        Assert.Equal(0.0, (FusionOptions.ReciprocalRank with { RrfK = 0 }).RrfK);
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
        var zScore = FusionOptions.ReciprocalRank with { Method = FusionMethod.ZScore };

        Assert.Equal(FusionMethod.ZScore, zScore.Method);
        Assert.Equal(60.0, zScore.RrfK);
        Assert.Equal(FusionMethod.ReciprocalRank, FusionOptions.ReciprocalRank.Method);
    }
}
