using System.Buffers.Binary;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Reads a WAV file's fmt chunk before NAudio does and refuses values NAudio would divide by or overflow with: zero
/// channels, a zero sample rate, zero bits per sample, a block alignment that does not match channels × bytes per
/// sample, or a zero byte rate (NAudio divides by all of these and the run would end with a
/// <see cref="DivideByZeroException"/> instead of a report for this one file). Leaves the stream where it was.
/// </summary>
internal static class WaveHeaderCheck
{
    /// <summary>Highest sample rate accepted; far above any recorder (768 kHz is the highest in common use).</summary>
    public const int MaxSampleRate = 1_536_000;

    /// <summary>Most channels accepted (the mono mix reads channels × a chunk of samples at once).</summary>
    public const int MaxChannels = 256;

    private const ushort PcmTag = 1;
    private const ushort IeeeFloatTag = 3;
    private const ushort ExtensibleTag = 0xFFFE;

    /// <summary>Most chunks walked before the fmt chunk; a real file has it first or after a few metadata chunks.</summary>
    private const int MaxChunksBeforeFormat = 64;

    /// <summary>Throws <see cref="MediaDecodeException"/> when the RIFF/WAVE header has no readable fmt chunk or
    /// declares values that cannot describe audio.</summary>
    public static void Ensure(Stream stream, string path)
    {
        var start = stream.Position;
        try
        {
            Span<byte> header = stackalloc byte[12];
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.Truncated, "the file ends inside the RIFF header");
            }

            Span<byte> chunk = stackalloc byte[8];
            for (var walked = 0; walked < MaxChunksBeforeFormat; walked++)
            {
                var at = stream.Position;
                if (stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) < chunk.Length)
                {
                    throw new MediaDecodeException(path, MediaDecodeFailure.Truncated, $"the file ends at byte {at} before a fmt chunk");
                }

                var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
                if (chunk[..4].SequenceEqual("fmt "u8))
                {
                    CheckFormat(stream, size, at, path);
                    return;
                }

                if (chunk[..4].SequenceEqual("data"u8))
                {
                    throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"the data chunk at byte {at} comes before any fmt chunk");
                }

                // Chunks are padded to an even length.
                var next = stream.Position + size + (size & 1);
                if (next > stream.Length)
                {
                    throw new MediaDecodeException(path, MediaDecodeFailure.Truncated,
                        $"the '{System.Text.Encoding.ASCII.GetString(chunk[..4])}' chunk at byte {at} declares {size} bytes, past the end of the file");
                }

                stream.Position = next;
            }

            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"no fmt chunk among the first {MaxChunksBeforeFormat} chunks");
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static void CheckFormat(Stream stream, uint size, long at, string path)
    {
        if (size < 16)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"the fmt chunk at byte {at} is {size} bytes, less than the 16 it needs");
        }

        Span<byte> format = stackalloc byte[40];
        var wanted = (int)Math.Min(size, (uint)format.Length);
        if (stream.ReadAtLeast(format[..wanted], wanted, throwOnEndOfStream: false) < wanted)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Truncated, $"the file ends inside the fmt chunk at byte {at}");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(format);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(format[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(format[4..]);
        var byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format[8..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(format[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(format[14..]);
        if (tag == ExtensibleTag && wanted >= 26)
        {
            // WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the sub-format GUID.
            tag = BinaryPrimitives.ReadUInt16LittleEndian(format[24..]);
        }

        if (channels == 0 || channels > MaxChannels)
        {
            throw Corrupt(path, $"the fmt chunk declares {channels} channels (1 to {MaxChannels} are accepted)");
        }

        if (sampleRate == 0 || sampleRate > MaxSampleRate)
        {
            throw Corrupt(path, $"the fmt chunk declares a sample rate of {sampleRate} Hz (1 to {MaxSampleRate} are accepted)");
        }

        if (bits == 0)
        {
            throw Corrupt(path, "the fmt chunk declares 0 bits per sample");
        }

        if (tag is PcmTag or IeeeFloatTag)
        {
            if (tag == PcmTag ? bits is not (8 or 16 or 24 or 32) : bits is not (32 or 64))
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.UnsupportedFormat,
                    $"WAV {(tag == PcmTag ? "PCM" : "IEEE float")} with {bits} bits per sample is not supported");
            }

            var expectedAlign = channels * (bits / 8);
            if (blockAlign != expectedAlign)
            {
                throw Corrupt(path, $"the fmt chunk declares a block alignment of {blockAlign} bytes, but {channels} channels of {bits} bits need {expectedAlign}");
            }
        }
        else if (blockAlign == 0)
        {
            throw Corrupt(path, "the fmt chunk declares a block alignment of 0 bytes");
        }

        if (byteRate == 0)
        {
            throw Corrupt(path, "the fmt chunk declares a byte rate of 0 bytes per second");
        }
    }

    private static MediaDecodeException Corrupt(string path, string reason) => new(path, MediaDecodeFailure.Corrupt, reason);
}
