using System.Buffers.Binary;
using Concentus;
using NVorbis.Contracts;
using NVorbis.Ogg;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Decodes an Ogg Opus stream (RFC 7845) to 48 kHz mono floats. Concentus 2.2 has the Opus codec but no Ogg
/// reader (the separate Concentus.Oggfile package is not available here), so the pages and packets come from
/// NVorbis' Ogg container reader, which checks page CRCs and reassembles packets.
/// </summary>
internal static class OggOpusDecoder
{
    public const int SampleRate = 48000;
    private const int MaxFrameSamples = 5760; // 120 ms at 48 kHz, the longest Opus packet.
    private const int MaxPacketBytes = 16 << 20;

    public static (float[] Samples, int Channels) Decode(Stream stream, string path, long maxSamples, CancellationToken cancellationToken)
    {
        using var container = new ContainerReader(stream, closeOnDispose: false);
        IPacketProvider? provider = null;
        container.NewStreamCallback = candidate =>
        {
            provider ??= candidate;
            return true;
        };
        if (!container.TryInit() || provider is null)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, "no Ogg logical stream found");
        }

        var head = ReadPacket(provider.GetNextPacket(), path, "OpusHead");
        if (head.Length < 19 || !head.AsSpan(0, 8).SequenceEqual("OpusHead"u8))
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.UnsupportedFormat, "the first Ogg packet is not an OpusHead header");
        }

        int channels = head[9];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        var gainDb = BinaryPrimitives.ReadInt16LittleEndian(head.AsSpan(16)) / 256.0;
        int mappingFamily = head[18];
        if (channels is < 1 or > 2 || mappingFamily != 0)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.UnsupportedFormat,
                $"Opus channel mapping family {mappingFamily} with {channels} channels is not supported (only mono/stereo)");
        }

        ReadPacket(provider.GetNextPacket(), path, "OpusTags");

        // A mono decoder down-mixes a stereo stream itself (RFC 6716 allows decoding to any channel count).
        var decoder = OpusCodecFactory.CreateDecoder(SampleRate, 1);
        var frame = new float[MaxFrameSamples];
        var output = new List<float>();
        long finalGranule = -1;
        IPacket? packet;
        while ((packet = provider.GetNextPacket()) is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var isEnd = packet.IsEndOfStream;
            var granule = packet.GranulePosition ?? -1;
            var data = ReadPacket(packet, path, "audio");
            if (isEnd && granule > 0)
            {
                finalGranule = granule;
            }

            if (data.Length == 0)
            {
                continue;
            }

            int decoded;
            try
            {
                decoded = decoder.Decode(data, frame, MaxFrameSamples, false);
            }
            catch (Exception exception) when (AudioClipDecoder.IsDecoderFailure(exception))
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"Opus packet cannot be decoded: {exception.Message}", exception);
            }

            output.AddRange(frame.AsSpan(0, decoded));
            if (output.Count - preSkip > maxSamples)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.TooLarge, $"longer than the limit of {maxSamples / (double)SampleRate:0.#} s");
            }
        }

        if (output.Count <= preSkip)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Truncated, "the Ogg Opus stream has no audio packets");
        }

        // The last page's granule position gives the exact length; the codec pads the last frame.
        var length = output.Count - preSkip;
        if (finalGranule > preSkip && finalGranule - preSkip < length)
        {
            length = (int)(finalGranule - preSkip);
        }

        var samples = output.GetRange(preSkip, length).ToArray();
        if (gainDb != 0)
        {
            var gain = (float)Math.Pow(10, gainDb / 20);
            System.Numerics.Tensors.TensorPrimitives.Multiply(samples, gain, samples);
        }

        return (samples, channels);
    }

    private static byte[] ReadPacket(IPacket? packet, string path, string what)
    {
        if (packet is null)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Truncated, $"the Ogg stream ends before its {what} packet");
        }

        // An Opus packet is at most 61,440 bytes (RFC 6716); OpusTags may carry cover art. Anything larger is a
        // damaged or hostile page chain, refused before it is copied.
        var length = packet.BitsRemaining / 8;
        if (length > MaxPacketBytes)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"the {what} packet is {length} bytes, over the limit of {MaxPacketBytes}");
        }

        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)packet.ReadBits(8);
        }

        packet.Done();
        return bytes;
    }
}
