using HybridSearch.Ingestion;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Querying;
using HybridSearch.Records;
using NAudio.Wave;

namespace HybridSearch.Tests.Ingestion.Media;

/// <summary>
/// FIFOs, devices and directories wherever a path is read: each is refused with a typed error naming it, before it
/// is opened (opening a FIFO for reading blocks forever) or read (<c>/dev/zero</c> never ends). Every call runs
/// against a deadline, so a regression fails the test instead of hanging the suite.
/// </summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IngestionFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    [SkippableFact]
    public void FileKindsAreToldApartAfterFollowingLinks()
    {
        SkipUnlessLinux();
        var fifo = _fixtures.MakeFifo("pipe");
        var file = _fixtures.WriteText("plain.txt", "x");
        Directory.CreateDirectory(_fixtures.PathOf("dir"));

        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(_fixtures.Symlink("to-pipe", fifo)));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/zero"));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(_fixtures.Symlink("zero.png", "/dev/zero")));
        Assert.Equal(FileKind.RegularFile, FileKinds.Of(file));
        Assert.Equal(FileKind.RegularFile, FileKinds.Of(_fixtures.Symlink("to-plain", "plain.txt")));
        Assert.Equal(FileKind.Directory, FileKinds.Of(_fixtures.PathOf("dir")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(_fixtures.PathOf("nothing")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(_fixtures.Symlink("dangling", _fixtures.PathOf("nothing"))));
    }

    [SkippableFact]
    public async Task ImageAndAudioDecodersRefuseAFifoADeviceAndADirectoryWithoutOpeningThem()
    {
        SkipUnlessLinux();
        var paths = new[]
        {
            _fixtures.MakeFifo("pipe.png"),
            "/dev/zero",
            _fixtures.Symlink("zero.wav", "/dev/zero"),
            Directory.CreateDirectory(_fixtures.PathOf("folder.png")).FullName,
        };

        foreach (var path in paths)
        {
            var image = await Assert.ThrowsAsync<MediaDecodeException>(() => new BoundedImageDecoder().DecodeAsync(path).WaitAsync(Deadline));
            Assert.Equal(MediaDecodeFailure.NotAFile, image.Failure);
            Assert.Equal(path, image.SourcePath);
            var audio = await Assert.ThrowsAsync<MediaDecodeException>(() => Task.Run(() => new AudioClipDecoder().Decode(path)).WaitAsync(Deadline));
            Assert.Equal(MediaDecodeFailure.NotAFile, audio.Failure);
        }

        var directory = await Assert.ThrowsAsync<MediaDecodeException>(() => new BoundedImageDecoder().DecodeAsync(paths[3]).WaitAsync(Deadline));
        Assert.Contains("is a directory", directory.Reason, StringComparison.Ordinal);
        var fifo = await Assert.ThrowsAsync<MediaDecodeException>(() => new BoundedImageDecoder().DecodeAsync(paths[0]).WaitAsync(Deadline));
        Assert.Contains("FIFO", fifo.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ATranscriptSidecarThatIsAFifoOrDevZeroIsAnErrorForThatClip()
    {
        SkipUnlessLinux();
        var clip = _fixtures.WriteWav("clip.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 0.5));
        foreach (var sidecar in new[] { _fixtures.MakeFifo("clip.srt"), _fixtures.Symlink("zero.txt", "/dev/zero") })
        {
            var request = new TranscriptionRequest(new RecordAudio(clip, sidecar), new AudioClipDecoder());
            var error = await Assert.ThrowsAsync<IngestionException>(() => new SidecarTranscriber().TranscribeAsync(request).WaitAsync(Deadline));
            Assert.Equal(sidecar, error.SourcePath);
            Assert.Contains("not a regular file", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadsAreBoundedByBytesReadNotByTheLengthTheFileReports()
    {
        // Files under /proc report a length of 0 and still have content: only counting what is read catches them.
        Skip.IfNot(File.Exists("/proc/self/status"), "needs /proc");
        Assert.Equal(0, new FileInfo("/proc/self/status").Length);

        var error = await Assert.ThrowsAsync<BoundedFileException>(() => BoundedFileReader.ReadAllBytesAsync("/proc/self/status", 100, CancellationToken.None));
        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);

        var exact = _fixtures.WriteBytes("exact.bin", new byte[100]);
        Assert.Equal(100, (await BoundedFileReader.ReadAllBytesAsync(exact, 100, CancellationToken.None)).Length);
        var over = _fixtures.WriteBytes("over.bin", new byte[101]);
        Assert.Equal(MediaDecodeFailure.TooLarge, (await Assert.ThrowsAsync<BoundedFileException>(() => BoundedFileReader.ReadAllBytesAsync(over, 100, CancellationToken.None))).Failure);
    }

    [Fact]
    public void AQueryImageStreamThatNeverEndsIsRefusedAtTheLimit()
    {
        using var zeros = new EndlessStream();

        var error = Assert.Throws<MediaDecodeException>(() => QueryImage.FromStream(zeros, "upload", maxBytes: 1 << 20));

        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);
        Assert.InRange(zeros.Served, (1 << 20) + 1, (1 << 20) + 81920);
    }

    [SkippableFact]
    public async Task AManifestThatIsAFifoOrADeviceIsRefusedAndLinesNamingThemAreErrors()
    {
        SkipUnlessLinux();
        var fifoManifest = _fixtures.MakeFifo("pipe.jsonl");
        var error = await Assert.ThrowsAsync<ManifestException>(() => Task.Run(() => new ManifestReader(fifoManifest).ReadItems().ToList()).WaitAsync(Deadline));
        Assert.Contains("FIFO", error.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ManifestException>(() => Task.Run(() => new ManifestReader("/dev/zero").ReadItems().ToList()).WaitAsync(Deadline));

        _fixtures.MakeFifo("m/media/pipe.png");
        _fixtures.MakeFifo("m/media/pipe.srt");
        _fixtures.WriteWav("m/media/ok.wav", new WaveFormat(16000, 16, 1), IngestionFixtures.Sine(300, 16000, 0.2));
        Directory.CreateDirectory(_fixtures.PathOf("m/media/album.png"));
        var manifest = _fixtures.WriteText("m/records.jsonl", string.Join("\n",
            """{"id":"fifo","images":["media/pipe.png"]}""",
            """{"id":"dir","images":["media/album.png"]}""",
            """{"id":"sidecar","audio":[{"path":"media/ok.wav","transcript":"media/pipe.srt"}]}""",
            """{"id":"fine","title":"still read"}"""));

        var items = await Task.Run(() => new ManifestReader(manifest).ReadItems().ToList()).WaitAsync(Deadline);

        Assert.Equal("fine", items[3].Record!.Id);
        Assert.Contains("'images[0]' path 'media/pipe.png' is a FIFO (named pipe), not a file", items[0].Error!.Reason, StringComparison.Ordinal);
        Assert.Contains("'images[0]' path 'media/album.png' is a directory, not a file", items[1].Error!.Reason, StringComparison.Ordinal);
        Assert.Contains("'audio[0].transcript' path 'media/pipe.srt' is a FIFO", items[2].Error!.Reason, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], items.Take(3).Select(item => item.Error!.LineNumber!.Value));
    }

    [SkippableFact]
    public async Task AFolderWithAFifoAmongItsFilesReportsItAndReadsTheRest()
    {
        SkipUnlessLinux();
        _fixtures.WriteText("f/a.txt", "A note\nbody");
        var textFifo = _fixtures.MakeFifo("f/b.txt");
        var captionFifo = _fixtures.MakeFifo("f/photo.txt");
        _fixtures.WriteBytes("f/photo.png", IngestionFixtures.PngBytes(4, 4));
        _fixtures.WriteText("f/z.md", "# Last\n");

        var items = await Task.Run(() => new FolderRecordSource(_fixtures.PathOf("f")).ReadItems().ToList()).WaitAsync(Deadline);

        Assert.Equal(["a.txt", "z.md"], items.Where(item => !item.IsError).Select(item => item.Record!.Id));
        var errors = items.Where(item => item.IsError).Select(item => item.Error!).ToList();
        Assert.Equal([textFifo, captionFifo], errors.Select(error => error.SourcePath).Order(StringComparer.Ordinal));
        Assert.All(errors, error => Assert.Contains("FIFO", error.Reason, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task DicomReadsRefuseAFifoAndADeviceAndAFolderScanSkipsThem()
    {
        SkipUnlessLinux();
        var fifo = _fixtures.MakeFifo("tree/pipe.dcm");
        _fixtures.MakeFifo("tree/extensionless");
        foreach (var path in new[] { fifo, "/dev/zero" })
        {
            var decode = await Assert.ThrowsAsync<MediaDecodeException>(() => Task.Run(() => new HybridSearch.Ingestion.Dicom.DicomImageDecoder().Decode(path, 1 << 20)).WaitAsync(Deadline));
            Assert.Equal(MediaDecodeFailure.NotAFile, decode.Failure);
            var header = await Assert.ThrowsAsync<HybridSearch.Ingestion.Dicom.DicomFormatException>(() => Task.Run(() => new HybridSearch.Ingestion.Dicom.DicomReader().ReadHeader(path)).WaitAsync(Deadline));
            Assert.Equal(MediaDecodeFailure.NotAFile, header.Failure);
        }

        // The folder scan sniffs extension-less files for DICM and reads .dcm headers: neither may block on a FIFO.
        var catalog = await Task.Run(() => HybridSearch.Ingestion.Dicom.DicomFolderCatalog.Scan(_fixtures.PathOf("tree"), new FolderIngestionOptions(), CancellationToken.None)).WaitAsync(Deadline);
        var error = Assert.Single(catalog.Items(_fixtures.PathOf("tree")), item => item.IsError);
        Assert.Contains("pipe.dcm", error.Error!.Message, StringComparison.Ordinal);
    }

    private static void SkipUnlessLinux() => Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs and /dev/zero are tested on Linux");

    /// <summary>A stream of zeros that never ends and claims no length, like a pipe from /dev/zero.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
