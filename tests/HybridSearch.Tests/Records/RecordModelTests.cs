using HybridSearch.Records;
using Record = HybridSearch.Records.Record;

namespace HybridSearch.Tests.Records;

public sealed class RecordModelTests
{
    [Fact]
    public void RecordCopiesCollectionsAndOrdersFields()
    {
        var fields = new Dictionary<string, FieldValue> { ["zeta"] = FieldValue.Keyword("z"), ["age"] = FieldValue.Number(74) };
        var images = new List<RecordImage> { new("/x/a.png", "cap") };
        var record = new Record("id-1", "T", null, fields, images);
        fields["new"] = FieldValue.Keyword("n");
        images.Clear();

        Assert.Equal(["age", "zeta"], record.Fields.Keys);
        Assert.Single(record.Images);
        Assert.Equal(string.Empty, record.Text);
        Assert.Empty(record.Audio);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    public void RecordRejectsBadIds(string id) => Assert.ThrowsAny<ArgumentException>(() => new Record(id));

    [Fact]
    public void RecordRejectsBlankFieldNames() =>
        Assert.Throws<ArgumentException>(() => new Record("a", fields: new Dictionary<string, FieldValue> { [" "] = FieldValue.Number(1) }));

    [Fact]
    public void FieldValueKindsAndInvariantText()
    {
        Assert.Equal(FieldKind.Number, FieldValue.Number(1.5).Kind);
        Assert.Equal("1.5", FieldValue.Number(1.5).ToString());
        Assert.Equal("2024-03-01T00:00:00.0000000+00:00", FieldValue.Date(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)).ToString());
        Assert.Equal(FieldValue.Keyword("CT"), FieldValue.Keyword("CT"));
        Assert.Throws<ArgumentOutOfRangeException>(() => FieldValue.Number(double.NaN));
    }
}
