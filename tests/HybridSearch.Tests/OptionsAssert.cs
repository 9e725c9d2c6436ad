namespace HybridSearch.Tests;

/// <summary>Checks of the options idiom: an invalid setting throws when it is set, naming the option.</summary>
internal static class OptionsAssert
{
    /// <summary>Asserts that <paramref name="make"/> throws an argument error whose parameter is
    /// <paramref name="option"/> and whose message names it; an out-of-range error also carries the value.</summary>
    public static void RejectsNaming(string option, Func<object> make)
    {
        var error = Assert.ThrowsAny<ArgumentException>(make);
        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        if (error is ArgumentOutOfRangeException range)
        {
            Assert.NotNull(range.ActualValue);
        }
    }
}
