using System.Buffers.Binary;
using NAudio.Wave;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// What a scan of an MP3 file's frame headers (with NAudio's <see cref="Mp3Frame"/> parser, without decoding)
/// tells before NLayer decodes it: how many audio frames there are (for the duration limit), whether the file was
/// cut short, and the encoder delay and padding that LAME and FFmpeg record in the Xing/Info frame, so the
/// decoded clip can be trimmed to the samples that were encoded (otherwise every transcript time is off by the
/// ~50 ms of leading silence the codec adds, and the clip is a frame longer than the original).
/// </summary>
internal sealed class Mp3FrameScan
{
    /// <summary>The synthesis filterbank's delay in samples, added by every layer III decoder (NLayer included)
    /// on top of the encoder delay recorded in the LAME tag.</summary>
    public const int DecoderDelaySamples = 529;

    private Mp3FrameScan(int sampleRate, int samplesPerFrame, long audioFrames, int? encoderDelay, int? encoderPadding)
    {
        SampleRate = sampleRate;
        SamplesPerFrame = samplesPerFrame;
        AudioFrames = audioFrames;
        EncoderDelay = encoderDelay;
        EncoderPadding = encoderPadding;
    }

    /// <summary>The first frame's sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Samples per channel in one frame (1152 for MPEG-1 layer III, 576 for MPEG-2/2.5).</summary>
    public int SamplesPerFrame { get; }

    /// <summary>Frames holding audio (the Xing/Info frame excluded).</summary>
    public long AudioFrames { get; }

    /// <summary>Samples of silence the encoder put in front, from the LAME tag; null without one.</summary>
    public int? EncoderDelay { get; }

    /// <summary>Samples the encoder added at the end to fill the last frame, from the LAME tag; null without one.</summary>
    public int? EncoderPadding { get; }

    /// <summary>Samples per channel the file decodes to before trimming.</summary>
    public long DecodedSamples => AudioFrames * SamplesPerFrame;

    /// <summary>Scans the stream from its current position and puts it back there.</summary>
    /// <exception cref="MediaDecodeException">Truncated (a frame or the declared byte count cut short) or corrupt
    /// (no frame found).</exception>
    public static Mp3FrameScan Read(Stream stream, string path)
    {
        var start = stream.Position;
        try
        {
            SkipId3v2(stream);
            Mp3Frame? first;
            try
            {
                first = Mp3Frame.LoadFromStream(stream, readData: true);
            }
            catch (EndOfStreamException)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.Truncated, "the file ends inside the first MPEG audio frame");
            }

            if (first is null)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, "no MPEG audio frame found");
            }

            var tag = ReadXingTag(first.RawData);
            var frames = tag is null ? 1L : 0L;
            var expected = first.FileOffset + first.FrameLength;
            while (true)
            {
                stream.Position = expected;
                var frame = Mp3Frame.LoadFromStream(stream, readData: false);
                if (frame is null || frame.FileOffset != expected)
                {
                    // The frames end here; what follows (an ID3v1 or APE tag, junk) is not audio.
                    break;
                }

                if (frame.FileOffset + frame.FrameLength > stream.Length)
                {
                    throw new MediaDecodeException(path, MediaDecodeFailure.Truncated,
                        $"the file ends inside MPEG audio frame {frames + 1} at byte {frame.FileOffset} ({frame.FrameLength} bytes declared, {stream.Length - frame.FileOffset} present)");
                }

                frames++;
                expected = frame.FileOffset + frame.FrameLength;
            }

            if (tag is { } xing)
            {
                if (xing.Frames is { } declaredFrames && declaredFrames > frames)
                {
                    throw new MediaDecodeException(path, MediaDecodeFailure.Truncated,
                        $"the Xing/Info header declares {declaredFrames} frames but only {frames} are present");
                }

                if (xing.Bytes is { } declaredBytes && first.FileOffset + declaredBytes > stream.Length)
                {
                    throw new MediaDecodeException(path, MediaDecodeFailure.Truncated,
                        $"the Xing/Info header declares {declaredBytes} bytes but only {stream.Length - first.FileOffset} are present");
                }
            }

            var gapless = tag is { Delay: { } delay, Padding: { } padding } && delay + padding < frames * first.SampleCount;
            return new Mp3FrameScan(first.SampleRate, first.SampleCount, frames, gapless ? tag!.Value.Delay : null, gapless ? tag!.Value.Padding : null);
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static void SkipId3v2(Stream stream)
    {
        Span<byte> header = stackalloc byte[10];
        var start = stream.Position;
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header[..3].SequenceEqual("ID3"u8))
        {
            // The size is "synchsafe" (7 bits per byte) and excludes the 10-byte header and the optional footer.
            var size = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9];
            var footer = (header[5] & 0x10) != 0 ? 10 : 0;
            stream.Position = start + 10 + size + footer;
        }
        else
        {
            stream.Position = start;
        }
    }

    /// <summary>The Xing (VBR) or Info (CBR) header in the first frame, and the LAME tag after it.</summary>
    private static (long? Frames, long? Bytes, int? Delay, int? Padding)? ReadXingTag(byte[] frame)
    {
        // The tag follows the side information, whose size depends on version and channels; searching the first
        // bytes finds it without repeating that table.
        var data = frame.AsSpan();
        var at = data[..Math.Min(data.Length, 64)].IndexOf("Xing"u8);
        if (at < 0)
        {
            at = data[..Math.Min(data.Length, 64)].IndexOf("Info"u8);
        }

        if (at < 0 || at + 8 > data.Length)
        {
            return null;
        }

        var flags = BinaryPrimitives.ReadUInt32BigEndian(data[(at + 4)..]);
        var position = at + 8;
        long? frames = null, bytes = null;
        if ((flags & 1) != 0 && position + 4 <= data.Length)
        {
            frames = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            position += 4;
        }

        if ((flags & 2) != 0 && position + 4 <= data.Length)
        {
            bytes = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            position += 4;
        }

        position += ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);

        // LAME tag: a 9-byte encoder string ("LAME3.100", FFmpeg's "Lavc...") and, 21 bytes in, 12-bit delay
        // and 12-bit padding.
        int? delay = null, padding = null;
        if (position + 24 <= data.Length && (data[position..].StartsWith("LAME"u8) || data[position..].StartsWith("Lav"u8)))
        {
            var packed = data.Slice(position + 21, 3);
            delay = (packed[0] << 4) | (packed[1] >> 4);
            padding = ((packed[1] & 0x0F) << 8) | packed[2];
        }

        return (frames, bytes, delay, padding);
    }
}
