using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Tests.Ingestion;

/// <summary>The options of the ingestion parts (decoders, sources, DICOM, transcribers) follow the options idiom.</summary>
public class IngestionOptionsTests
{
    public static TheoryData<string, Func<object>> InvalidSettings => new()
    {
        { "MaxPixels", () => ImageDecodeOptions.Default with { MaxPixels = 0 } },
        { "MaxSide", () => new ImageDecodeOptions { MaxSide = -1 } },
        { "MaxFileBytes", () => ImageDecodeOptions.Default with { MaxFileBytes = 0 } },
        { "MaxDuration", () => AudioDecodeOptions.Default with { MaxDuration = TimeSpan.Zero } },
        { "MaxFileBytes", () => new AudioDecodeOptions { MaxFileBytes = 0 } },
        { "Image", () => DicomReadOptions.Default with { Image = null! } },
        { "MaxSequenceDepth", () => DicomReadOptions.Default with { MaxSequenceDepth = 0 } },
        { "MaxFrames", () => DicomReadOptions.Default with { MaxFrames = 0 } },
        { "MaxInflatedBytes", () => DicomReadOptions.Default with { MaxInflatedBytes = 0 } },
        { "Grouping", () => DicomIngestionOptions.Default with { Grouping = (DicomGrouping)99 } },
        { "Frames", () => new DicomIngestionOptions { Frames = null! } },
        { "MaxTextFileBytes", () => FolderIngestionOptions.Default with { MaxTextFileBytes = 0 } },
        { "AllowedDirectories", () => FolderIngestionOptions.Default with { AllowedDirectories = null! } },
        { "AllowedDirectories", () => FolderIngestionOptions.Default with { AllowedDirectories = ["/data", " "] } },
        { "Dicom", () => FolderIngestionOptions.Default with { Dicom = null! } },
        { "MaxLineLength", () => ManifestReaderOptions.Default with { MaxLineLength = 0 } },
        { "AllowedDirectories", () => new ManifestReaderOptions { AllowedDirectories = [string.Empty] } },
        { "ModelPath", () => new WhisperOptions(" ") },
        { "ModelPath", () => new WhisperOptions("model.bin") with { ModelPath = string.Empty } },
        { "Language", () => new WhisperOptions("model.bin") with { Language = " " } },
        { "Threads", () => new WhisperOptions("model.bin") { Threads = 0 } },
        { "MaxUtteranceMs", () => new PocketSphinxOptions() with { MaxUtteranceMs = PocketSphinxOptions.MinUtteranceMs - 1 } },
        { "MaxWordsPerSegment", () => new PocketSphinxOptions() with { MaxWordsPerSegment = 0 } },
        { "SegmentPauseMs", () => new PocketSphinxOptions() with { SegmentPauseMs = -1 } },
        { "LibraryPath", () => new PocketSphinxOptions() with { LibraryPath = " " } },
        { "DictionaryPath", () => new PocketSphinxOptions() with { DictionaryPath = null! } },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void EveryInvalidSettingThrowsWhenSetNamingTheOption(string option, Func<object> make) =>
        OptionsAssert.RejectsNaming(option, make);

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        Assert.Equal(40_000_000, ImageDecodeOptions.Default.MaxPixels);
        Assert.Equal(16384, ImageDecodeOptions.Default.MaxSide);
        Assert.Equal(64L << 20, ImageDecodeOptions.Default.MaxFileBytes);
        Assert.Equal(TimeSpan.FromHours(3), AudioDecodeOptions.Default.MaxDuration);
        Assert.Equal(1L << 30, AudioDecodeOptions.Default.MaxFileBytes);
        Assert.Equal(32, DicomReadOptions.Default.MaxSequenceDepth);
        Assert.Equal(4096, DicomReadOptions.Default.MaxFrames);
        Assert.Equal(DicomGrouping.Study, DicomIngestionOptions.Default.Grouping);
        Assert.Equal(DicomFrameSelection.Middle, DicomIngestionOptions.Default.Frames);
        Assert.Equal(16L << 20, FolderIngestionOptions.Default.MaxTextFileBytes);
        Assert.Empty(FolderIngestionOptions.Default.AllowedDirectories);
        Assert.Equal(1 << 20, ManifestReaderOptions.Default.MaxLineLength);
        Assert.Equal("en", new WhisperOptions("model.bin").Language);
        Assert.Equal(30_000, new PocketSphinxOptions().MaxUtteranceMs);
        Assert.Equal(300, new PocketSphinxOptions().SegmentPauseMs);
    }

    [Fact]
    public void AllowedDirectoriesAreCopiedWhenSet()
    {
        var directories = new List<string> { "/data" };
        var options = ManifestReaderOptions.Default with { AllowedDirectories = directories };

        directories.Add(" ");

        Assert.Equal(new[] { "/data" }, options.AllowedDirectories);
    }
}
