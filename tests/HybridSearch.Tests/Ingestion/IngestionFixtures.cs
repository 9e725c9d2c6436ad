using System.Buffers.Binary;
using System.Text;
using Concentus;
using Concentus.Enums;
using NAudio.Wave;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Ingestion;

/// <summary>Makes the small files the ingestion tests need, in a temporary directory deleted on dispose.</summary>
internal sealed class IngestionFixtures : IDisposable
{
    public IngestionFixtures()
    {
        Root = Path.Combine(Path.GetTempPath(), "hs-ingest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string WriteText(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string relative, byte[] content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Makes a named pipe (FIFO) with coreutils' mkfifo; opening it for reading blocks until a writer comes.</summary>
    public string MakeFifo(string relative)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    /// <summary>Makes a symbolic link at <paramref name="relative"/> pointing at <paramref name="target"/> (as written).</summary>
    public string Symlink(string relative, string target)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    /// <summary>A gradient image, so decoded pixels are not all equal.</summary>
    public static Image<Rgb24> Gradient(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128);
            }
        }

        return image;
    }

    public static byte[] PngBytes(int width, int height)
    {
        using var image = Gradient(width, height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] JpegBytes(int width, int height, Action<Image<Rgb24>>? modify = null)
    {
        using var image = Gradient(width, height);
        modify?.Invoke(image);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    /// <summary>A PNG signature and an IHDR chunk with a valid CRC declaring the given size, then IEND: what a
    /// decompression bomb's header looks like without the payload.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    internal static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(length, PngCrc(typeAndData));
        stream.Write(length);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint PngCrc(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in data)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    public static float[] Sine(double frequency, int sampleRate, double seconds, float amplitude = 0.5f)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = amplitude * (float)Math.Sin(2 * Math.PI * frequency * i / sampleRate);
        }

        return samples;
    }

    /// <summary>Writes the same mono signal to every channel in the given format.</summary>
    public string WriteWav(string relative, WaveFormat format, float[] mono)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new WaveFileWriter(path, format);
        var bytesPerSample = format.BitsPerSample / 8;
        var frame = new byte[format.Channels * bytesPerSample];
        var one = new byte[4];
        foreach (var sample in mono)
        {
            // Encoded here rather than with WaveFileWriter.WriteSample, which lacks 8- and 32-bit PCM.
            if (format.Encoding == WaveFormatEncoding.IeeeFloat)
            {
                BinaryPrimitives.WriteSingleLittleEndian(one, sample);
            }
            else if (bytesPerSample == 1)
            {
                one[0] = (byte)Math.Round(128 + (sample * 127));
            }
            else
            {
                var scaled = (int)Math.Round(sample * ((1L << (format.BitsPerSample - 1)) - 1));
                BinaryPrimitives.WriteInt32LittleEndian(one, scaled);
            }

            for (var channel = 0; channel < format.Channels; channel++)
            {
                one.AsSpan(0, bytesPerSample).CopyTo(frame.AsSpan(channel * bytesPerSample));
            }

            writer.Write(frame, 0, frame.Length);
        }

        return path;
    }

    /// <summary>A RIFF/WAVE file written byte by byte with whatever fmt values are given (a lying header), followed
    /// by <paramref name="dataBytes"/> bytes of a 440 Hz square wave.</summary>
    public static byte[] WavWithFormat(ushort tag, ushort channels, uint sampleRate, uint byteRate, ushort blockAlign, ushort bits, int dataBytes = 3200)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(4 + 8 + 16 + 8 + dataBytes);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write(tag);
        writer.Write(channels);
        writer.Write(sampleRate);
        writer.Write(byteRate);
        writer.Write(blockAlign);
        writer.Write(bits);
        writer.Write("data"u8);
        writer.Write(dataBytes);
        for (var i = 0; i < dataBytes; i++)
        {
            writer.Write((byte)((i / 18) % 2 == 0 ? 0x40 : 0xC0));
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Encodes mono 48 kHz audio with Concentus and wraps it in Ogg pages (RFC 7845), one packet per page.</summary>
    public static byte[] OggOpus(float[] mono48k, int preSkip = 312)
    {
        var encoder = OpusCodecFactory.CreateEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        using var stream = new MemoryStream();
        var sequence = 0;
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48000);
        WriteOggPage(stream, head, 0, sequence++, 0x02);
        var tags = "OpusTags"u8.ToArray().Concat(new byte[] { 4, 0, 0, 0 }).Concat("test"u8.ToArray()).Concat(new byte[] { 0, 0, 0, 0 }).ToArray();
        WriteOggPage(stream, tags, 0, sequence++, 0);

        const int FrameSize = 960;
        var padded = new float[preSkip + mono48k.Length + FrameSize];
        mono48k.CopyTo(padded, preSkip);
        var frames = (preSkip + mono48k.Length + FrameSize - 1) / FrameSize;
        var packet = new byte[4000];
        for (var frame = 0; frame < frames; frame++)
        {
            var length = encoder.Encode(padded.AsSpan(frame * FrameSize, FrameSize), FrameSize, packet, packet.Length);
            var last = frame == frames - 1;
            var granule = last ? preSkip + mono48k.Length : (long)(frame + 1) * FrameSize;
            WriteOggPage(stream, packet.AsSpan(0, length).ToArray(), granule, sequence++, (byte)(last ? 0x04 : 0));
        }

        return stream.ToArray();
    }

    private static void WriteOggPage(Stream stream, byte[] packet, long granule, int sequence, byte headerType)
    {
        var lacing = new List<byte>();
        var remaining = packet.Length;
        while (remaining >= 255)
        {
            lacing.Add(255);
            remaining -= 255;
        }

        lacing.Add((byte)remaining);
        var page = new byte[27 + lacing.Count + packet.Length];
        "OggS"u8.CopyTo(page);
        page[5] = headerType;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(14), 0x1234);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(18), sequence);
        page[26] = (byte)lacing.Count;
        lacing.ToArray().CopyTo(page, 27);
        packet.CopyTo(page, 27 + lacing.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc(page));
        stream.Write(page);
    }

    private static uint OggCrc(byte[] data)
    {
        uint crc = 0;
        foreach (var value in data)
        {
            crc ^= (uint)value << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }

        return crc;
    }

    /// <summary>Power of <paramref name="samples"/> at one frequency (a single DFT bin).</summary>
    public static double PowerAt(ReadOnlySpan<float> samples, double frequency, int sampleRate)
    {
        double re = 0, im = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var angle = 2 * Math.PI * frequency * i / sampleRate;
            re += samples[i] * Math.Cos(angle);
            im += samples[i] * Math.Sin(angle);
        }

        return ((re * re) + (im * im)) / samples.Length;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
