using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Tests.Ingestion.Transcription;

public sealed class SubtitleParserTests
{
    private static IReadOnlyList<TranscriptSegment> Parse(string text, SubtitleFormat format) =>
        SubtitleParser.Parse(new StringReader(text), format, "test");

    [Fact]
    public void SrtWithBomCrlfMissingNumbersAndTags()
    {
        var srt = "\uFEFF1\r\n00:00:01,250 --> 00:00:03,000\r\n<i>Hello</i> {\\an8}world\r\nsecond line\r\n\r\n"
            + "00:01:02,5 --> 01:00:00,000\r\nno &amp; number\r\n\r\n\r\n7\r\n00:00:00,000 --> 00:00:00,100\r\n<b></b>\r\n";

        var segments = Parse(srt, SubtitleFormat.Srt);

        Assert.Equal(
            [new TranscriptSegment(1250, 3000, "Hello world second line"), new TranscriptSegment(62500, 3_600_000, "no & number")],
            segments);
    }

    [Fact]
    public void WebVttWithOptionalHoursIdentifiersSettingsNotesAndVoiceTags()
    {
        var vtt = "WEBVTT - title\nKind: captions\n\nNOTE a comment\nspanning lines\n\nintro\n00:05.000 --> 00:07.250 align:start position:10%\n<v Roger>Search <c.loud>the</c> index</v>\n\n"
            + "01:02:03.004 --> 01:02:04.000\n<00:00:01.000>timed\n";

        var segments = Parse(vtt, SubtitleFormat.WebVtt);

        Assert.Equal(
            [new TranscriptSegment(5000, 7250, "Search the index"), new TranscriptSegment(3_723_004, 3_724_000, "timed")],
            segments);
    }

    [Fact]
    public void MalformedTimingNamesTheLine()
    {
        var error = Assert.Throws<TranscriptFormatException>(() => Parse("1\n00:00:01,000 --> 00:00:xx,000\nhi\n", SubtitleFormat.Srt));
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("end time", error.Reason);

        var backwards = Assert.Throws<TranscriptFormatException>(() => Parse("00:00:05,000 --> 00:00:01,000\nhi\n", SubtitleFormat.Srt));
        Assert.Equal(1, backwards.LineNumber);

        Assert.Throws<TranscriptFormatException>(() => Parse("1\n00:00:01.000 --> 00:00:02.000\nhi\n", SubtitleFormat.WebVtt));
    }

    [Theory]
    [InlineData("00:00:01,000", 1000)]
    [InlineData("1:02:03.4", 3_723_400)]
    [InlineData("02:03.45", 123_450)]
    [InlineData("100:00:00,000", 360_000_000)]
    public void Timestamps(string text, long expected)
    {
        Assert.True(SubtitleParser.TryParseTimestamp(text, out var ms));
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("00:61:00,000")]
    [InlineData("1,000")]
    [InlineData("aa:bb:cc")]
    public void BadTimestamps(string text) => Assert.False(SubtitleParser.TryParseTimestamp(text, out _));
}
