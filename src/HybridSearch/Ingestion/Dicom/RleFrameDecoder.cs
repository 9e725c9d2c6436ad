using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>RLE Lossless (PS3.5 annex G): a 64-byte header of segment offsets, then one PackBits segment per byte
/// plane (most significant byte first, sample by sample).</summary>
internal static class RleFrameDecoder
{
    /// <summary>Decodes one frame into interleaved samples.</summary>
    public static ushort[] Decode(ReadOnlySpan<byte> frame, int width, int height, int samplesPerPixel, int bitsAllocated, string source)
    {
        var bytesPerSample = bitsAllocated / 8;
        var expectedSegments = samplesPerPixel * bytesPerSample;
        if (frame.Length < 64)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Truncated, $"the RLE frame has {frame.Length} bytes, fewer than its 64-byte header");
        }

        var segmentCount = (int)BitConverter.ToUInt32(frame[..4]);
        if (segmentCount != expectedSegments)
        {
            throw new DicomFormatException(source, MediaDecodeFailure.Corrupt,
                $"the RLE header names {segmentCount} segments; {samplesPerPixel} samples of {bitsAllocated} bits need {expectedSegments}");
        }

        var pixels = width * height;
        var samples = new ushort[pixels * samplesPerPixel];
        var plane = new byte[pixels];
        for (var segment = 0; segment < segmentCount; segment++)
        {
            var start = BitConverter.ToUInt32(frame[(4 + 4 * segment)..]);
            var stop = segment + 1 < segmentCount ? BitConverter.ToUInt32(frame[(8 + 4 * segment)..]) : (uint)frame.Length;
            if (start < 64 || start > stop || stop > frame.Length)
            {
                throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"RLE segment {segment} has offsets {start}..{stop} outside the {frame.Length}-byte frame");
            }

            UnpackBits(frame[(int)start..(int)stop], plane, segment, source);
            var sample = segment / bytesPerSample;
            var shift = 8 * (bytesPerSample - 1 - (segment % bytesPerSample));
            if (shift > 8)
            {
                continue; // 32-bit samples are refused earlier; never reached.
            }

            for (int p = 0, s = sample; p < pixels; p++, s += samplesPerPixel)
            {
                samples[s] |= (ushort)(plane[p] << shift);
            }
        }

        return samples;
    }

    private static void UnpackBits(ReadOnlySpan<byte> input, Span<byte> output, int segment, string source)
    {
        int i = 0, o = 0;
        while (o < output.Length)
        {
            if (i >= input.Length)
            {
                throw new DicomFormatException(source, MediaDecodeFailure.Truncated, $"RLE segment {segment} ends after {o} of {output.Length} bytes");
            }

            var header = (sbyte)input[i++];
            if (header >= 0)
            {
                var count = header + 1;
                if (i + count > input.Length || o + count > output.Length)
                {
                    throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"RLE segment {segment} has a literal run past its end");
                }

                input.Slice(i, count).CopyTo(output[o..]);
                i += count;
                o += count;
            }
            else if (header != -128)
            {
                var count = 1 - header;
                if (i >= input.Length || o + count > output.Length)
                {
                    throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"RLE segment {segment} has a replicate run past its end");
                }

                output.Slice(o, count).Fill(input[i++]);
                o += count;
            }
        }
    }
}
