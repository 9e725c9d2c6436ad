using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// Turns a decoded frame into 8 bits per channel, in the order PS3.4's grayscale pipeline gives:
/// <list type="number">
/// <item>stored values masked to BitsStored, sign-extended when PixelRepresentation is 1;</item>
/// <item>Modality LUT: <c>v·RescaleSlope + RescaleIntercept</c> when either is present;</item>
/// <item>VOI: the first WindowCenter c / WindowWidth w with the linear function of PS3.3 C.11.2.1.2.1
/// (<c>v ≤ c−0.5−(w−1)/2 → 0</c>, <c>v &gt; c−0.5+(w−1)/2 → 255</c>, else <c>((v−(c−0.5))/(w−1)+0.5)·255</c>),
/// or the frame's min–max mapped to 0..255 when no window is given;</item>
/// <item>MONOCHROME1 inverted (<c>255−y</c>); rounding to the nearest integer (<c>floor(y+0.5)</c>).</item>
/// </list>
/// Colour: RGB as is (samples wider than 8 bits shifted down to 8); YBR_FULL (and YBR_FULL_422, already expanded)
/// converted with the JPEG/JFIF equations; PALETTE COLOR through its red/green/blue LUTs (16-bit entries shifted to 8).
/// </summary>
public static class DicomFrameRenderer
{
    /// <summary>Renders a frame of a data set.</summary>
    /// <param name="dataset">The data set the frame came from (for rescale, window and palette attributes).</param>
    /// <param name="frame">The decoded frame.</param>
    /// <param name="sourceName">Name used in errors.</param>
    /// <exception cref="DicomFormatException">A palette LUT is missing or malformed.</exception>
    public static DicomRenderedFrame Render(DicomDataset dataset, DicomFrame frame, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sourceName);
        return frame.PhotometricInterpretation switch
        {
            "RGB" => RenderRgb(frame),
            "YBR_FULL" => RenderYbr(frame),
            "PALETTE COLOR" => RenderPalette(dataset, frame, sourceName),
            _ => RenderMonochrome(dataset, frame),
        };
    }

    /// <summary>The stored value of a sample as a signed or unsigned integer of BitsStored bits.</summary>
    internal static int StoredValue(ushort sample, int bitsStored, bool signed)
    {
        var value = sample & ((1 << bitsStored) - 1);
        if (signed && (value & (1 << (bitsStored - 1))) != 0)
        {
            value -= 1 << bitsStored;
        }

        return value;
    }

    private static DicomRenderedFrame RenderMonochrome(DicomDataset dataset, DicomFrame frame)
    {
        var slope = dataset.GetDouble(DicomTags.RescaleSlope);
        var intercept = dataset.GetDouble(DicomTags.RescaleIntercept);
        var rescale = slope is not null || intercept is not null;
        var m = slope ?? 1.0;
        var b = intercept ?? 0.0;
        var count = frame.Width * frame.Height;

        // Stored values span at most 2^16, so the whole pipeline is computed once per distinct value (a lookup
        // table) instead of once per pixel, and no per-pixel intermediate is allocated.
        int minStored = int.MaxValue, maxStored = int.MinValue;
        for (var i = 0; i < count; i++)
        {
            var stored = StoredValue(frame.Samples[i], frame.BitsStored, frame.IsSigned);
            minStored = Math.Min(minStored, stored);
            maxStored = Math.Max(maxStored, stored);
        }

        double Modality(int stored) => rescale ? stored * m + b : stored;
        var low = Math.Min(Modality(minStored), Modality(maxStored));
        var high = Math.Max(Modality(minStored), Modality(maxStored));
        var center = dataset.GetDouble(DicomTags.WindowCenter);
        var width = dataset.GetDouble(DicomTags.WindowWidth);
        var invert = frame.PhotometricInterpretation == "MONOCHROME1";
        var windowed = center is not null && width is >= 1;
        var lut = new byte[maxStored - minStored + 1];
        for (var stored = minStored; stored <= maxStored; stored++)
        {
            var v = Modality(stored);
            double y;
            if (windowed)
            {
                double c = center!.Value, w = width!.Value;
                y = v <= c - 0.5 - (w - 1) / 2 ? 0 : v > c - 0.5 + (w - 1) / 2 ? 255 : ((v - (c - 0.5)) / (w - 1) + 0.5) * 255;
            }
            else
            {
                y = high > low ? (v - low) / (high - low) * 255 : 0;
            }

            lut[stored - minStored] = ToByte(invert ? 255 - y : y);
        }

        var output = new byte[count];
        for (var i = 0; i < count; i++)
        {
            output[i] = lut[StoredValue(frame.Samples[i], frame.BitsStored, frame.IsSigned) - minStored];
        }

        return new DicomRenderedFrame(frame.Width, frame.Height, 1, output);
    }

    private static DicomRenderedFrame RenderRgb(DicomFrame frame)
    {
        var shift = Math.Max(0, frame.BitsStored - 8);
        var output = new byte[frame.Samples.Length];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (byte)Math.Min(255, (frame.Samples[i] & ((1 << frame.BitsStored) - 1)) >> shift);
        }

        return new DicomRenderedFrame(frame.Width, frame.Height, 3, output);
    }

    private static DicomRenderedFrame RenderYbr(DicomFrame frame)
    {
        var output = new byte[frame.Samples.Length];
        for (var i = 0; i < output.Length; i += 3)
        {
            int cbSample = frame.Samples[i + 1], crSample = frame.Samples[i + 2];
            double y = frame.Samples[i];
            if ((cbSample | crSample) < 256)
            {
                // The same products as below, computed once per 8-bit value (bit-identical results, fewer multiplies).
                output[i] = ToByte(y + YbrTerms.CrToR[crSample]);
                output[i + 1] = ToByte(y - YbrTerms.CbToG[cbSample] - YbrTerms.CrToG[crSample]);
                output[i + 2] = ToByte(y + YbrTerms.CbToB[cbSample]);
                continue;
            }

            double cb = cbSample - 128.0, cr = crSample - 128.0;
            output[i] = ToByte(y + 1.402 * cr);
            output[i + 1] = ToByte(y - 0.344136 * cb - 0.714136 * cr);
            output[i + 2] = ToByte(y + 1.772 * cb);
        }

        return new DicomRenderedFrame(frame.Width, frame.Height, 3, output);
    }

    private static DicomRenderedFrame RenderPalette(DicomDataset dataset, DicomFrame frame, string source)
    {
        var red = PaletteLut.From(dataset, DicomTags.RedPaletteLutDescriptor, DicomTags.RedPaletteLutData, source);
        var green = PaletteLut.From(dataset, DicomTags.GreenPaletteLutDescriptor, DicomTags.GreenPaletteLutData, source);
        var blue = PaletteLut.From(dataset, DicomTags.BluePaletteLutDescriptor, DicomTags.BluePaletteLutData, source);
        var count = frame.Width * frame.Height;
        var output = new byte[count * 3];
        for (var i = 0; i < count; i++)
        {
            var value = StoredValue(frame.Samples[i], frame.BitsStored, frame.IsSigned);
            output[3 * i] = red.Map(value);
            output[3 * i + 1] = green.Map(value);
            output[3 * i + 2] = blue.Map(value);
        }

        return new DicomRenderedFrame(frame.Width, frame.Height, 3, output);
    }

    /// <summary>The JFIF products of each 8-bit chroma value (v − 128 scaled), for <see cref="RenderYbr"/>.</summary>
    private static class YbrTerms
    {
        public static readonly double[] CrToR = Table(1.402);
        public static readonly double[] CbToG = Table(0.344136);
        public static readonly double[] CrToG = Table(0.714136);
        public static readonly double[] CbToB = Table(1.772);

        private static double[] Table(double factor) => Enumerable.Range(0, 256).Select(v => factor * (v - 128.0)).ToArray();
    }

    private static byte ToByte(double value) => (byte)Math.Clamp(Math.Floor(value + 0.5), 0, 255);

    /// <summary>One palette channel: descriptor (entries, first mapped value, bits per entry) and its data.</summary>
    private sealed class PaletteLut(int first, int bits, ushort[] entries)
    {
        public static PaletteLut From(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag, string source)
        {
            var descriptor = dataset.GetDoubles(descriptorTag);
            var data = dataset.Find(dataTag);
            if (descriptor.Length < 3 || data is null)
            {
                throw new DicomFormatException(source, MediaDecodeFailure.Corrupt, $"PALETTE COLOR without a complete LUT {descriptorTag}/{dataTag}");
            }

            var count = descriptor[0] == 0 ? 65536 : (int)descriptor[0];
            var bits = (int)descriptor[2];
            var bytes = data.Value.Span;
            var entries = new ushort[count];
            var wordEntries = bytes.Length >= 2 * count;
            if (!wordEntries && bytes.Length < count)
            {
                throw new DicomFormatException(source, MediaDecodeFailure.Truncated, $"palette LUT {dataTag} has {bytes.Length} bytes for {count} entries");
            }

            for (var i = 0; i < count; i++)
            {
                entries[i] = wordEntries
                    ? (data.IsBigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]) : System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]))
                    : bytes[i];
            }

            return new PaletteLut((int)descriptor[1], bits, entries);
        }

        public byte Map(int value)
        {
            var index = Math.Clamp(value - first, 0, entries.Length - 1);
            var entry = entries[index];
            return (byte)(bits > 8 ? entry >> (bits - 8) : entry);
        }
    }
}
