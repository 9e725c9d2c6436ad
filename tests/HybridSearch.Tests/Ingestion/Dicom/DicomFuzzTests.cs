using HybridSearch.Ingestion.Dicom;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>Damaged copies of valid files (cut at every length, bytes flipped at random with a fixed seed) give
/// pixels or a <see cref="DicomFormatException"/>, never another exception.</summary>
public sealed class DicomFuzzTests
{
    private readonly DicomReader _reader = new();

    public static TheoryData<string> Files() => ["native16", "native8-frames", "jpeg-lossless", "jpeg-baseline"];

    [Theory]
    [MemberData(nameof(Files))]
    public void DamagedFilesGivePixelsOrTheTypedError(string kind)
    {
        var valid = Make(kind);
        Decode(valid); // the undamaged file decodes
        var untyped = new List<string>();
        for (var length = 0; length < valid.Length; length++)
        {
            Check(valid[..length], $"cut at {length}", untyped);
        }

        var random = new Random(12);
        for (var round = 0; round < 3000; round++)
        {
            var copy = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            Check(copy, $"round {round}", untyped);
        }

        Assert.True(untyped.Count == 0, string.Join('\n', untyped.Take(10)));
    }

    [SkippableFact]
    public void DamagedCopiesOfThePydicomCorpusGivePixelsOrTheTypedError()
    {
        DicomReferenceTools.SkipOrFail(Directory.Exists(DicomReferenceTools.CorpusDirectory) ? null : $"{DicomReferenceTools.CorpusDirectory} is missing (apt-get install python3-pydicom)");
        var untyped = new List<string>();
        var random = new Random(34);
        foreach (var path in Directory.GetFiles(DicomReferenceTools.CorpusDirectory, "*.dcm").Order(StringComparer.Ordinal))
        {
            var valid = File.ReadAllBytes(path);
            var name = Path.GetFileName(path);
            for (var cut = 0; cut < 16; cut++)
            {
                var length = random.Next(valid.Length);
                Check(valid[..length], $"{name} cut at {length}", untyped);
            }

            for (var round = 0; round < 50; round++)
            {
                var copy = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                Check(copy, $"{name} round {round}", untyped);
            }
        }

        Assert.True(untyped.Count == 0, $"{untyped.Count} untyped:\n" + string.Join('\n', untyped.Take(15)));
    }

    private void Check(byte[] bytes, string what, List<string> untyped)
    {
        try
        {
            Decode(bytes);
        }
        catch (DicomFormatException)
        {
        }
        catch (Exception exception)
        {
            untyped.Add($"{what}: {exception.GetType().Name}: {exception.Message} {exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
    }

    private void Decode(byte[] bytes)
    {
        var file = _reader.Read(bytes, "fuzz.dcm");
        new DicomImageDecoder(_reader).Render(file, file.FrameCount / 2);
    }

    private static byte[] Make(string kind)
    {
        switch (kind)
        {
            case "native16":
                return DicomTestWriter.Image(12, 9, (x, y) => (ushort)(x * 300 + y), signed: true)
                    .Text(DicomTags.WindowCenter, "DS", "100").Text(DicomTags.WindowWidth, "DS", "800").ToBytes();
            case "native8-frames":
                return DicomTestWriter.Image(10, 6, (x, y) => (ushort)(x * 20 + y), bits: 8, frames: 3).ToBytes();
            case "jpeg-baseline":
                var jpeg = JpegBaselineDecoderTests.Jpeg("h2v2-restart-rows");
                return new DicomTestWriter { TransferSyntax = "1.2.840.10008.1.2.4.50" }
                    .Text(DicomTags.SopInstanceUid, "UI", "7.8.1.1").Text(DicomTags.Modality, "CS", "XC")
                    .Text(DicomTags.StudyInstanceUid, "UI", "7.8").Text(DicomTags.SeriesInstanceUid, "UI", "7.8.1")
                    .UInt16(DicomTags.SamplesPerPixel, 3).Text(DicomTags.PhotometricInterpretation, "CS", "YBR_FULL_422")
                    .UInt16(DicomTags.Rows, 9).UInt16(DicomTags.Columns, 17).UInt16(DicomTags.BitsAllocated, 8)
                    .UInt16(DicomTags.BitsStored, 8).UInt16(DicomTags.HighBit, 7).UInt16(DicomTags.PixelRepresentation, 0)
                    .Raw(BrokenDicomCorpus.Encapsulated(jpeg.Length % 2 == 0 ? jpeg : [.. jpeg, 0])).ToBytes();
            default:
                var samples = Enumerable.Range(0, 32 * 24).Select(i => (ushort)((i * 37) % 4096)).ToArray();
                var stream = JpegLosslessDecoderTests.Encode(samples, 32, 24, 12, 1, 64);
                var writer = BrokenDicomCorpus.Good("7.7", pixels: false, syntax: "1.2.840.10008.1.2.4.70");
                return writer.UInt16(DicomTags.HighBit, 11).Raw(BrokenDicomCorpus.Encapsulated(stream.Length % 2 == 0 ? stream : [.. stream, 0])).ToBytes();
        }
    }
}
