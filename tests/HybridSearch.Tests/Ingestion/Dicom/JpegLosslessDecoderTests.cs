using HybridSearch.Ingestion.Dicom;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>
/// The lossless JPEG decoder on streams written by a minimal process-14 encoder here (ITU-T T.81 H.1): every predictor,
/// 8 to 16 bits, restart intervals (whole rows, as dcmtk and libjpeg write them, which dcmtk's encoder cannot be asked
/// for), stuffed 0xFF bytes. The dcmtk-made files of <see cref="DicomConformanceTests"/> cover the encoder of record.
/// </summary>
public sealed class JpegLosslessDecoderTests
{
    [Theory]
    [InlineData(1, 12, 0)]
    [InlineData(1, 16, 0)]
    [InlineData(2, 8, 0)]
    [InlineData(3, 12, 23)]
    [InlineData(4, 16, 46)]
    [InlineData(5, 12, 0)]
    [InlineData(6, 10, 23)]
    [InlineData(7, 16, 69)]
    public void EncodedSamplesComeBackExactly(int predictor, int precision, int restartInterval)
    {
        const int width = 23, height = 17;
        var random = new Random(predictor * 100 + precision);
        var samples = new ushort[width * height];
        for (var i = 0; i < samples.Length; i++)
        {
            // Smooth with noise and a few extremes, so every category (and all-ones bytes) occurs.
            samples[i] = (ushort)Math.Clamp((i % width) * 40 + (i / width) * 25 + random.Next(-300, 300) + (i % 37 == 0 ? 60000 : 0), 0, (1 << precision) - 1);
        }

        var stream = Encode(samples, width, height, precision, predictor, restartInterval);

        var decoded = JpegLosslessDecoder.Decode(stream, "test.jpg", out var w, out var h, out var components, out var p);

        Assert.Equal((width, height, 1, precision), (w, h, components, p));
        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void ACutStreamIsATypedError()
    {
        var stream = Encode(new ushort[64 * 64].Select((_, i) => (ushort)(i * 7919 % 4096)).ToArray(), 64, 64, 12, 1, 0);

        var error = Assert.Throws<DicomFormatException>(() => JpegLosslessDecoder.Decode(stream.AsSpan(0, stream.Length / 3), "cut.jpg", out _, out _, out _, out _));

        Assert.Equal(HybridSearch.Ingestion.Media.MediaDecodeFailure.Truncated, error.Failure);
    }

    /// <summary>A one-component process-14 encoder: a 17-symbol Huffman table with 5-bit codes for categories 0..16.</summary>
    internal static byte[] Encode(ushort[] samples, int width, int height, int precision, int predictor, int restartInterval)
    {
        var output = new List<byte> { 0xFF, 0xD8 };
        output.AddRange([0xFF, 0xC3, 0, 11, (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        var counts = new byte[16];
        counts[4] = 17;
        output.AddRange([0xFF, 0xC4, 0, 19 + 17, 0x00, .. counts, .. Enumerable.Range(0, 17).Select(v => (byte)v)]);
        if (restartInterval > 0)
        {
            output.AddRange([0xFF, 0xDD, 0, 4, (byte)(restartInterval >> 8), (byte)restartInterval]);
        }

        output.AddRange([0xFF, 0xDA, 0, 8, 1, 1, 0x00, (byte)predictor, 0, 0]);
        var bits = new BitWriter(output);
        var marker = 0;
        var firstLine = true;
        var firstSample = true;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var n = (y * width) + x;
                if (restartInterval > 0 && n > 0 && n % restartInterval == 0)
                {
                    bits.Flush();
                    output.AddRange([0xFF, (byte)(0xD0 + (marker++ % 8))]);
                    firstLine = true;
                    firstSample = true;
                }

                int a = x > 0 ? samples[n - 1] : 0, b = y > 0 ? samples[n - width] : 0, c = x > 0 && y > 0 ? samples[n - width - 1] : 0;
                var prediction = firstSample ? 1 << (precision - 1)
                    : firstLine ? a
                    : x == 0 ? b
                    : predictor switch { 1 => a, 2 => b, 3 => c, 4 => a + b - c, 5 => a + ((b - c) >> 1), 6 => b + ((a - c) >> 1), _ => (a + b) >> 1 };
                var difference = (samples[n] - prediction) & 0xFFFF;
                if (difference >= 32768)
                {
                    difference -= 65536; // the difference modulo 2^16, in -32767..32768
                }

                if (difference == -32768)
                {
                    difference = 32768;
                }

                var category = difference == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(difference));
                bits.Write(category, 5);
                if (category is > 0 and < 16)
                {
                    bits.Write(difference > 0 ? difference : difference + (1 << category) - 1, category);
                }

                firstSample = false;
            }

            firstLine = false;
        }

        bits.Flush();
        output.AddRange([0xFF, 0xD9]);
        return output.ToArray();
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>Pads the last byte with 1 bits (T.81 F.1.2.3).</summary>
        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.Add(0x00);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
