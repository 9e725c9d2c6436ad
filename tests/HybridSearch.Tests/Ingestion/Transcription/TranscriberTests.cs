using System.Diagnostics;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Records;
using NAudio.Wave;
using Xunit.Abstractions;

namespace HybridSearch.Tests.Ingestion.Transcription;

public sealed class TranscriberTests(ITestOutputHelper output) : IDisposable
{
    private readonly IngestionFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public async Task ChainUsesTheSidecarFirst()
    {
        var wav = _fixtures.WriteWav("c.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 1));
        var srt = _fixtures.WriteText("c.srt", "1\n00:00:00,100 --> 00:00:00,900\nsearch me\n");
        var chain = new TranscriberChain([new SidecarTranscriber(), new PocketSphinxTranscriber(PocketSphinxOptions.Default with { LibraryPath = "libnot-there.so" })]);

        var result = await chain.TranscribeAsync(new TranscriptionRequest(new RecordAudio(wav, srt), new AudioClipDecoder()));

        Assert.Equal("sidecar", result.TranscriberName);
        Assert.Equal([new TranscriptSegment(100, 900, "search me")], result.Segments);
    }

    [Fact]
    public async Task PlainTextSidecarSpansTheClip()
    {
        var wav = _fixtures.WriteWav("c.wav", new WaveFormat(8000, 16, 1), IngestionFixtures.Sine(300, 8000, 1.5));
        var txt = _fixtures.WriteText("c.txt", "\uFEFFhello\r\n  world ");

        var result = await new SidecarTranscriber().TranscribeAsync(new TranscriptionRequest(new RecordAudio(wav, txt), new AudioClipDecoder()));

        Assert.Equal([new TranscriptSegment(0, 1500, "hello world")], result.Segments);
    }

    [Fact]
    public async Task WithoutAnyTranscriberTheChainReturnsNoTranscriptWithWarnings()
    {
        var wav = _fixtures.WriteWav("c.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 1));
        using var missing = new PocketSphinxTranscriber(PocketSphinxOptions.Default with { LibraryPath = "libnot-there.so.3" });
        var chain = new TranscriberChain([new SidecarTranscriber(), missing]);

        var result = await chain.TranscribeAsync(new TranscriptionRequest(new RecordAudio(wav), new AudioClipDecoder()));

        Assert.False(missing.IsAvailable);
        Assert.False(result.HasTranscript);
        Assert.Empty(result.Segments);
        Assert.Contains(result.Warnings, warning => warning.Contains("not available", StringComparison.Ordinal) && warning.Contains("libnot-there.so.3", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, warning => warning.Contains("no transcript sidecar", StringComparison.Ordinal));
    }

    [Fact]
    public void UnderAnEmptyLookupRootPocketsphinxNamesTheMissingLibraryBeforeTheMissingModel()
    {
        var root = _fixtures.PathOf("empty-root");
        Directory.CreateDirectory(root);

        using var sphinx = new PocketSphinxTranscriber(PocketSphinxOptions.ForRoot(new NativeLookupRoot(root)));

        Assert.False(sphinx.IsAvailable);
        var reason = sphinx.UnavailableReason!;
        var library = reason.IndexOf($"cannot load '{root}/usr/lib/", StringComparison.Ordinal);
        var model = reason.IndexOf($"model files missing: {root}/usr/share/pocketsphinx/model/en-us/", StringComparison.Ordinal);
        Assert.True(library >= 0 && model > library, reason);
        Assert.Contains("libpocketsphinx.so.3' (install libpocketsphinx3)", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTheModelPresentAMissingLibraryIsTheOnlyReason()
    {
        var root = _fixtures.PathOf("model-only-root");
        var model = Path.Join(root, "usr", "share", "pocketsphinx", "model", "en-us");
        Directory.CreateDirectory(Path.Join(model, "en-us"));
        File.WriteAllText(Path.Join(model, "en-us.lm.bin"), "not used: the library is missing");
        File.WriteAllText(Path.Join(model, "cmudict-en-us.dict"), "not used: the library is missing");

        using var sphinx = new PocketSphinxTranscriber(PocketSphinxOptions.ForRoot(new NativeLookupRoot(root)));

        Assert.Equal($"cannot load '{root}/usr/lib/{LibraryFolderName()}libpocketsphinx.so.3' (install libpocketsphinx3)", sphinx.UnavailableReason);
    }

    [Fact]
    public void DefaultOptionsLookUnderTheRootTheEnvironmentNames()
    {
        // Reads the variable without setting it (other tests run concurrently); .ci/run runs the suite both ways.
        var root = NativeLookupRoot.FromEnvironment().Folder;
        var options = PocketSphinxOptions.Default;
        string[] paths = [options.LibraryPath, options.SphinxBaseLibraryPath, options.AcousticModelDirectory, options.LanguageModelPath, options.DictionaryPath];

        if (root is null)
        {
            Assert.Equal(["libpocketsphinx.so.3", "libsphinxbase.so.3"], paths[..2]);
            Assert.All(paths[2..], path => Assert.StartsWith("/usr/share/pocketsphinx/model/en-us/", path, StringComparison.Ordinal));
        }
        else
        {
            Assert.All(paths, path => Assert.StartsWith(root + "/", path, StringComparison.Ordinal));
            Assert.Equal(root, Path.TrimEndingDirectorySeparator(Path.GetFullPath(Environment.GetEnvironmentVariable(NativeLookupRoot.VariableName)!)));
        }
    }

    [Fact]
    public void ALookupRootMapsSystemPathsAndFindsLibrariesInItsLibraryFolders()
    {
        var root = new NativeLookupRoot(_fixtures.PathOf("root"));
        var library = _fixtures.WriteText("root/usr/lib/libexample.so.1", "not an ELF file; only its presence is looked up");

        Assert.Equal(_fixtures.PathOf("root/usr/share/x/y.dict"), root.ResolvePath("/usr/share/x/y.dict"));
        Assert.Equal("relative/y.dict", root.ResolvePath("relative/y.dict"));
        Assert.Equal(library, root.ResolveLibrary("libexample.so.1"));
        Assert.Equal("libexample.so.1", NativeLookupRoot.Installed.ResolveLibrary("libexample.so.1"));
        Assert.Equal("/usr/share/x/y.dict", NativeLookupRoot.Installed.ResolvePath("/usr/share/x/y.dict"));
        Assert.Null(new NativeLookupRoot("").Folder);
    }

    [Fact]
    public async Task AMalformedSidecarIsAnErrorNamingTheFileAndLine()
    {
        var wav = _fixtures.WriteWav("c.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 1));
        var srt = _fixtures.WriteText("c.srt", "1\n00:00:00,100 --> 00:00:00,200\nfine\n\n2\n00:00:01,000 --> nonsense\ntext\n");

        var error = await Assert.ThrowsAsync<TranscriptFormatException>(() =>
            new SidecarTranscriber().TranscribeAsync(new TranscriptionRequest(new RecordAudio(wav, srt), new AudioClipDecoder())));

        Assert.Equal((srt, 6), (error.SourcePath, error.LineNumber!.Value));
    }

    [Fact]
    public void WordsAreGroupedOnPausesAndFillersDropped()
    {
        RecognizedWord[] words =
        [
            new("<s>", 0, 100), new("search", 100, 500), new("[NOISE]", 500, 600), new("the(2)", 600, 700),
            new("<sil>", 700, 1200), new("index", 1200, 1600), new("++UH++", 1600, 1700), new("now", 1700, 1900), new("</s>", 1900, 2000),
        ];

        var segments = TranscriptSegmenter.Group(words, pauseMs: 300, maxWords: 2);

        Assert.Equal([new TranscriptSegment(100, 700, "search the"), new TranscriptSegment(1200, 1900, "index now")], segments);
    }

    [Fact]
    public void LongAudioIsCutAtTheQuietestPoint()
    {
        var samples = IngestionFixtures.Sine(200, DecodedAudio.SampleRate, 5);
        Array.Clear(samples, 70_000, 1600); // 100 ms of silence at 4.375 s, inside the last quarter of a 4.5 s piece

        var pieces = PocketSphinxTranscriber.SplitUtterances(samples, 4500);

        Assert.Equal(2, pieces.Count);
        Assert.InRange(pieces[0].Length, 70_000, 71_600);
        Assert.Equal(samples.Length, pieces[1].Start + pieces[1].Length);
    }

    [SkippableFact]
    public async Task PocketSphinxTranscribesSpeechSynthesisedByFlite()
    {
        using var sphinx = new PocketSphinxTranscriber();
        var flite = OptionalNative.FindExecutable("flite");
        OptionalNative.SkipIfMissing(
            !sphinx.IsAvailable ? $"pocketsphinx: {sphinx.UnavailableReason}" : flite is null ? "flite is not installed" : null,
            OptionalNative.RequirePocketSphinxVariable);

        var wav = _fixtures.PathOf("speech.wav");
        using (var process = Process.Start(new ProcessStartInfo(flite!, ["-voice", "slt", "-t", "please search the library for pictures of boats", "-o", wav]) { RedirectStandardError = true })!)
        {
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
        }

        var decoder = new AudioClipDecoder();
        var clip = decoder.Decode(wav);
        var result = await new TranscriberChain([new SidecarTranscriber(), sphinx]).TranscribeAsync(new TranscriptionRequest(new RecordAudio(wav), clip));

        output.WriteLine(string.Join(" | ", result.Segments.Select(segment => $"{segment.StartMs}-{segment.EndMs}: {segment.Text}")));
        Assert.Equal("pocketsphinx", result.TranscriberName);
        var text = string.Join(' ', result.Segments.Select(segment => segment.Text));
        Assert.Contains("search", text, StringComparison.Ordinal);
        Assert.Contains("library", text, StringComparison.Ordinal);
        var clipMs = (long)clip.Duration.TotalMilliseconds;
        Assert.All(result.Segments, segment => Assert.True(segment.StartMs >= 0 && segment.StartMs < segment.EndMs && segment.EndMs <= clipMs + 10, $"{segment} outside 0..{clipMs}"));

        // The decoder is reused and serialised: concurrent calls give the same words.
        var again = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => sphinx.TranscribeAsync(new TranscriptionRequest(new RecordAudio(wav), clip))));
        Assert.All(again, other => Assert.Equal(result.Segments, other.Segments));
    }

    /// <summary>The first library folder a lookup root tries: the multiarch one on the usual architectures.</summary>
    private static string LibraryFolderName() => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64-linux-gnu/",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64-linux-gnu/",
        _ => string.Empty,
    };
}
