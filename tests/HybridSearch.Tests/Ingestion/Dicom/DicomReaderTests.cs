using System.Text;
using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>The reader, renderer and tag extraction on files written by <see cref="DicomTestWriter"/> (no tools needed).</summary>
public sealed class DicomReaderTests
{
    private readonly DicomReader _reader = new();

    [Fact]
    public void TagsAreReadWithTheirCharacterSetAndTyped()
    {
        var file = _reader.Read(DicomTestWriter.Image(8, 4, (x, y) => 0).ToBytes(), "ct.dcm");

        Assert.True(file.HasPreamble);
        Assert.Equal("1.2.840.10008.1.2.1", file.TransferSyntax.Uid);
        Assert.Equal("Müller^Jörg", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
        Assert.Equal(4, file.Dataset.GetInt32(DicomTags.Rows));
        Assert.Equal(5.0, file.Dataset.GetDouble(DicomTags.SliceThickness));
    }

    [Fact]
    public void Latin1TextIsDecodedWithISOIR100()
    {
        var bytes = new DicomTestWriter()
            .Text(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 100")
            .Text(DicomTags.StudyDescription, "LO", "Schädel äöü", Encoding.Latin1)
            .ToBytes();

        var file = _reader.Read(bytes, "latin1.dcm");

        Assert.Equal("Schädel äöü", file.Dataset.GetString(DicomTags.StudyDescription));
    }

    [Fact]
    public void SignedRescaledWindowedPixelsFollowTheGrayscalePipeline()
    {
        // Stored -1000..: after intercept -1024 and window 40/400 the values map by the PS3.3 linear function.
        var bytes = DicomTestWriter.Image(4, 1, (x, y) => (ushort)(short)new short[] { 0, 1004, 1064, 2000 }[x], signed: true)
            .Text(DicomTags.RescaleIntercept, "DS", "-1024").Text(DicomTags.RescaleSlope, "DS", "1")
            .Text(DicomTags.WindowCenter, "DS", "40").Text(DicomTags.WindowWidth, "DS", "400").ToBytes();
        var file = _reader.Read(bytes, "w.dcm");

        var frame = new DicomImageDecoder(_reader).Render(file, 0);

        // -1024 → 0 (below), -20 → ((-20 - 39.5) / 399 + 0.5) · 255 = 89.47 → 89, 40 → 127.8 → 128, 976 → 255.
        Assert.Equal(new byte[] { 0, 89, 128, 255 }, frame.Pixels);
    }

    [Fact]
    public void Monochrome1IsInvertedAndMinMaxIsUsedWithoutAWindow()
    {
        var file = _reader.Read(DicomTestWriter.Image(3, 1, (x, y) => (ushort)(x * 100), photometric: "MONOCHROME1").ToBytes(), "m1.dcm");

        Assert.Equal(new byte[] { 255, 128, 0 }, new DicomImageDecoder(_reader).Render(file, 0).Pixels);
    }

    [Fact]
    public void TheMiddleFrameIsTheDefaultAndAFrameNumberPicksAnother()
    {
        var bytes = DicomTestWriter.Image(2, 1, (x, y) => (ushort)(x * 10), bits: 8, frames: 5).Text(DicomTags.WindowCenter, "DS", "128").Text(DicomTags.WindowWidth, "DS", "256").ToBytes();
        var decoder = new DicomImageDecoder(_reader);

        using var middle = decoder.Decode(bytes, "f.dcm");
        using var first = decoder.Decode(bytes, "f.dcm", frameNumber: 1);
        using var beyond = decoder.Decode(bytes, "f.dcm", frameNumber: 99);

        // Frame f holds x*10 + f: the middle of five is f = 2.
        Assert.Equal(2, middle.Image[0, 0].R);
        Assert.Equal(0, first.Image[0, 0].R);
        Assert.Equal(4, beyond.Image[0, 0].R);
        Assert.Equal([0, 1, 2, 3, 4], DicomFrameSelection.Every.Indices(5));
        Assert.Equal([2], DicomFrameSelection.Parse("middle").Indices(5));
        Assert.Equal([2], DicomFrameSelection.Parse("3").Indices(5));
        Assert.Throws<FormatException>(() => DicomFrameSelection.Parse("0"));
    }

    [Fact]
    public void AFrameOverTheImageLimitsIsRefusedBeforeAnyPixelIsAllocated()
    {
        var bytes = new DicomTestWriter().UInt16(DicomTags.Rows, 60000).UInt16(DicomTags.Columns, 60000).UInt16(DicomTags.BitsAllocated, 16)
            .Element(DicomTags.PixelData, "OW", new byte[16]).ToBytes();
        var file = _reader.Read(bytes, "huge.dcm");

        var error = Assert.Throws<DicomFormatException>(() => _reader.DecodeFrame(file, 0));

        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);
        Assert.Contains("60000x60000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBrokenFileGivesATypedErrorNamingItWithoutAllocatingFromItsLengths()
    {
        foreach (var (name, bytes, failure, reason) in BrokenDicomCorpus.Files())
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<DicomFormatException>(() =>
            {
                var file = _reader.Read(bytes, name);
                _reader.DecodeFrame(file, 0);
            });
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(failure, error.Failure.ToString());
            Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
            Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
            Assert.True(allocated < 4 << 20, $"{name}: {allocated} bytes allocated");
            Assert.IsAssignableFrom<HybridSearchException>(error);
        }
    }

    [Fact]
    public void PaletteColourGoesThroughItsLookupTables()
    {
        static byte[] Words(params ushort[] values) => values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray();
        static byte[] Descriptor(ushort entries, ushort first, ushort bits) => Words(entries, first, bits);
        var bytes = DicomTestWriter.Image(4, 1, (x, y) => (ushort)(x + 10), bits: 8, photometric: "PALETTE COLOR")
            .Element(DicomTags.RedPaletteLutDescriptor, "US", Descriptor(4, 10, 16))
            .Element(DicomTags.GreenPaletteLutDescriptor, "US", Descriptor(4, 10, 16))
            .Element(DicomTags.BluePaletteLutDescriptor, "US", Descriptor(4, 10, 16))
            .Element(DicomTags.RedPaletteLutData, "OW", Words(0, 0x1000, 0x8000, 0xFFFF))
            .Element(DicomTags.GreenPaletteLutData, "OW", Words(0xFFFF, 0x8000, 0x1000, 0))
            .Element(DicomTags.BluePaletteLutData, "OW", Words(0x0100, 0x0100, 0x0100, 0x0100))
            .ToBytes();
        var file = _reader.Read(bytes, "palette.dcm");

        var frame = new DicomImageDecoder(_reader).Render(file, 0);

        // Index x + 10, first mapped value 10: entry x, 16-bit entries shifted to 8 bits.
        Assert.Equal(3, frame.Channels);
        Assert.Equal(new byte[] { 0, 255, 1, 16, 128, 1, 128, 16, 1, 255, 0, 1 }, frame.Pixels);
    }

    [Fact]
    public void ALyingFrameCountIsRefused()
    {
        var file = _reader.Read(DicomTestWriter.Image(2, 2, (x, y) => 0, frames: 2).Text(DicomTags.NumberOfFrames, "IS", "2000000000").ToBytes(), "frames.dcm");

        Assert.Equal(4096, _reader.Options.MaxFrames);
        Assert.Equal(2000000000, file.Dataset.GetInt32(DicomTags.NumberOfFrames));
        var error = Assert.Throws<DicomFormatException>(() => _reader.DecodeFrame(file, 0));

        Assert.True(error.Failure == MediaDecodeFailure.TooLarge, error.Message);
        Assert.Contains("NumberOfFrames 2000000000", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SequencesWithinTheDepthLimitAreRead()
    {
        var bytes = BrokenDicomCorpus.Good("1.5", pixels: false).Raw(BrokenDicomCorpus.Nested(10)).ToBytes();

        var file = _reader.Read(bytes, "nested.dcm");

        Assert.NotNull(file.Dataset.Find(BrokenDicomCorpus.ContentSequence)?.Items);
    }

    [Fact]
    public void TagsBecomeFieldsAndPatientDataStaysOutUnlessAsked()
    {
        var dataset = _reader.Read(DicomTestWriter.Image(2, 2, (x, y) => 0).ToBytes(), "t.dcm").Dataset;

        var fields = DicomMetadata.Extract(dataset, keepPhi: false);
        var withPhi = DicomMetadata.Extract(dataset, keepPhi: true);

        Assert.Equal("CT", fields[DicomFieldNames.Modality].KeywordValue);
        Assert.Equal("CHEST", fields[DicomFieldNames.BodyPart].KeywordValue);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero), fields[DicomFieldNames.StudyDate].DateValue);
        Assert.Equal(74, fields[DicomFieldNames.PatientAge].NumberValue);
        Assert.Equal(5, fields[DicomFieldNames.SliceThickness].NumberValue);
        Assert.Equal("1.2.3.4", fields[DicomFieldNames.StudyInstanceUid].KeywordValue);
        Assert.DoesNotContain(fields.Values, value => value.ToString().Contains("Müller", StringComparison.Ordinal) || value.ToString().Contains("PID-0042", StringComparison.Ordinal));
        Assert.DoesNotContain(DicomFieldNames.PatientBirthDate, fields.Keys);
        Assert.Equal("Müller^Jörg", withPhi[DicomFieldNames.PatientName].KeywordValue);
        Assert.Equal("PID-0042", withPhi[DicomFieldNames.PatientId].KeywordValue);
        Assert.Equal(0.5, DicomMetadata.ParseAge("006M"));
        Assert.Null(DicomMetadata.ParseAge("abc"));
    }

    [Fact]
    public void FilesWithoutPreambleAndMetaAreDetected()
    {
        var full = DicomTestWriter.Image(2, 2, (x, y) => 7).ToBytes();
        var metaLength = (int)BrokenDicomCorpus.ReadUInt32(full, 140);
        var datasetOnly = full[(144 + metaLength)..];

        var file = _reader.Read(datasetOnly, "raw.dcm");

        Assert.False(file.HasPreamble);
        Assert.Equal("1.2.840.10008.1.2.1", file.TransferSyntax.Uid);
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
        Assert.True(DicomReader.LooksLikeDicom(datasetOnly, "raw.dcm"));
        Assert.False(DicomReader.LooksLikeDicom(datasetOnly, "raw"));
    }
}
