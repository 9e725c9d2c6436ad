using HybridSearch.Cli;
using HybridSearch.Cli.Querying;

namespace HybridSearch.Tests.Cli;

public sealed class FilterExpressionParserTests
{
    [Theory]
    [InlineData("modality=CT", "modality", "Equals", "CT")]
    [InlineData("age>=60", "age", "AtLeast", "60")]
    [InlineData("price<=0.5", "price", "AtMost", "0.5")]
    [InlineData(" city = East brook ", "city", "Equals", "East brook")]
    [InlineData("note=a>=b", "note", "Equals", "a>=b")]
    public void ParsesTheThreeForms(string expression, string field, string op, string value)
    {
        Assert.Equal(new FilterCondition(field, Enum.Parse<FilterOperator>(op), value), FilterExpressionParser.Parse(expression));
    }

    [Theory]
    [InlineData("age>60")]
    [InlineData("age<60")]
    [InlineData("age!=60")]
    [InlineData("age")]
    [InlineData(">=3")]
    public void RejectsOtherForms(string expression)
    {
        var error = Assert.Throws<CliUserException>(() => FilterExpressionParser.Parse(expression));
        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }
}
