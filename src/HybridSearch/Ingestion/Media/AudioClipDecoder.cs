using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using NLayer;
using NVorbis;

namespace HybridSearch.Ingestion.Media;

/// <summary>
/// Decodes audio files to 16 kHz mono float samples: WAV (PCM 8/16/24/32-bit, IEEE float, any rate and channel
/// count) with NAudio, MP3 with NLayer (trimmed to the encoded length when a LAME/FFmpeg gapless tag is present),
/// Ogg Vorbis with NVorbis, Ogg Opus with Concentus. The format is detected
/// from the content, not the extension. Channels are averaged and the rate converted with NAudio's WDL
/// resampler. Limits on file size and duration apply (<see cref="AudioDecodeOptions"/>). A file cut short
/// (WAV data chunk, MP3 frame or Xing byte count, Ogg page or missing end-of-stream page) is reported as
/// <see cref="MediaDecodeFailure.Truncated"/> rather than decoded in part, so a damaged download is not indexed as a
/// shorter clip. Thread-safe.
/// </summary>
public sealed class AudioClipDecoder
{
    private const int ChunkSamples = 16384;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">Limits; <see cref="AudioDecodeOptions.Default"/> when null.</param>
    public AudioClipDecoder(AudioDecodeOptions? options = null)
    {
        Options = options ?? AudioDecodeOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.MaxDuration, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxFileBytes, nameof(options));
    }

    /// <summary>The limits in force.</summary>
    public AudioDecodeOptions Options { get; }

    /// <summary>Decodes a file. CPU-bound: run it on a worker thread when called from async code.</summary>
    /// <param name="path">The audio file.</param>
    /// <param name="cancellationToken">Checked between decoded chunks.</param>
    /// <exception cref="MediaDecodeException">Missing, empty, too large or long, unsupported, truncated or corrupt.</exception>
    public DecodedAudio Decode(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        BoundedReadStream stream;
        try
        {
            // A regular file only (a FIFO would block the open), read through a stream that refuses to go past the
            // size limit whatever length the file system reports.
            stream = BoundedFileReader.Open(path, Options.MaxFileBytes, 65536);
        }
        catch (BoundedFileException exception)
        {
            throw new MediaDecodeException(path, exception.Failure, exception.Message, exception.InnerException);
        }

        using (stream)
        {
            if (stream.Length == 0)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.EmptyFile, "the file has zero bytes");
            }

            if (stream.Length > Options.MaxFileBytes)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.TooLarge, $"{stream.Length} bytes, over the limit of {Options.MaxFileBytes}");
            }

            return Decode(stream, path, cancellationToken);
        }
    }

    /// <summary>Decodes a seekable stream.</summary>
    /// <param name="stream">The encoded audio; read from its current position.</param>
    /// <param name="sourceName">Name used in errors and in <see cref="DecodedAudio.Path"/>.</param>
    /// <param name="cancellationToken">Checked between decoded chunks.</param>
    /// <exception cref="MediaDecodeException">Empty, too long, unsupported, truncated or corrupt.</exception>
    public DecodedAudio Decode(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var start = stream.Position;
        Span<byte> header = stackalloc byte[64];
        var headerLength = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        stream.Position = start;
        header = header[..headerLength];
        if (headerLength == 0)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.EmptyFile, "the file has zero bytes");
        }

        try
        {
            return DetectFormat(header) switch
            {
                AudioContainer.Wave => DecodeWave(stream, sourceName, cancellationToken),
                AudioContainer.Mp3 => DecodeMp3(stream, sourceName, cancellationToken),
                AudioContainer.OggVorbis => DecodeVorbis(stream, sourceName, cancellationToken),
                AudioContainer.OggOpus => DecodeOpus(stream, sourceName, cancellationToken),
                AudioContainer.Ogg => throw new MediaDecodeException(sourceName, MediaDecodeFailure.UnsupportedFormat,
                    "Ogg stream is neither Vorbis nor Opus"),
                _ => throw new MediaDecodeException(sourceName, MediaDecodeFailure.UnsupportedFormat,
                    $"the content is not WAV, MP3, Ogg Vorbis or Ogg Opus (extension '{Path.GetExtension(sourceName)}')"),
            };
        }
        catch (EndOfStreamException exception)
        {
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.Truncated, $"the file ends early: {exception.Message}", exception);
        }
        catch (BoundedFileException exception)
        {
            throw new MediaDecodeException(sourceName, exception.Failure, exception.Message, exception);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            // Whatever a decoder library throws on damaged or hostile input (FormatException, InvalidDataException,
            // DivideByZeroException, OverflowException, IndexOutOfRangeException, NullReferenceException, ...) is a
            // problem with this file only. Cancellation and running out of memory are not, so they pass through;
            // memory is bounded by the checks before decoding instead (file size, duration, header values).
            throw new MediaDecodeException(sourceName, MediaDecodeFailure.Corrupt, $"the decoder failed ({exception.GetType().Name}): {exception.Message}", exception);
        }
    }

    /// <summary>True for an exception a decoder library threw on bad input, as opposed to one of ours (already
    /// typed), a cancellation, or the process running out of memory.</summary>
    internal static bool IsDecoderFailure(Exception exception) =>
        exception is not (MediaDecodeException or OperationCanceledException or OutOfMemoryException
            or InsufficientExecutionStackException or ThreadInterruptedException);

    private enum AudioContainer
    {
        Unknown,
        Wave,
        Mp3,
        Ogg,
        OggVorbis,
        OggOpus,
    }

    private static AudioContainer DetectFormat(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return AudioContainer.Wave;
        }

        if (header.Length >= 27 && header[..4].SequenceEqual("OggS"u8))
        {
            // The first packet of the first page starts after the 27-byte page header and its segment table.
            var packetStart = 27 + header[26];
            var packet = packetStart < header.Length ? header[packetStart..] : [];
            if (packet.StartsWith("\u0001vorbis"u8))
            {
                return AudioContainer.OggVorbis;
            }

            return packet.StartsWith("OpusHead"u8) ? AudioContainer.OggOpus : AudioContainer.Ogg;
        }

        if (header.StartsWith("ID3"u8) || (header.Length >= 4 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0 && (header[1] & 0x06) != 0))
        {
            return AudioContainer.Mp3;
        }

        return AudioContainer.Unknown;
    }

    private DecodedAudio DecodeWave(Stream stream, string path, CancellationToken cancellationToken)
    {
        WaveHeaderCheck.Ensure(stream, path);
        using var reader = new WaveFileReader(stream);
        var format = reader.WaveFormat;

        // The constructor leaves the stream at the start of the data chunk, whose size the header declares; a
        // file cut short holds less than that.
        var dataStart = stream.Position;
        if (dataStart + reader.Length > stream.Length)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Truncated,
                $"the data chunk declares {reader.Length} bytes but only {stream.Length - dataStart} follow");
        }

        // The duration from the frame size, not NAudio's TotalTime, which trusts the declared byte rate.
        CheckDuration(TimeSpan.FromSeconds(reader.Length / ((double)format.BlockAlign * format.SampleRate)), path);
        var name = format.Encoding switch
        {
            WaveFormatEncoding.Pcm => $"WAV PCM {format.BitsPerSample}-bit",
            WaveFormatEncoding.IeeeFloat => $"WAV IEEE float {format.BitsPerSample}-bit",
            WaveFormatEncoding.Extensible => $"WAV extensible {format.BitsPerSample}-bit",
            _ => throw new MediaDecodeException(path, MediaDecodeFailure.UnsupportedFormat, $"WAV encoding {format.Encoding} is not supported (only PCM and IEEE float)"),
        };

        ISampleProvider samples;
        try
        {
            samples = reader.ToSampleProvider();
        }
        catch (ArgumentException exception)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.UnsupportedFormat, $"{name}: {exception.Message}", exception);
        }

        return Finish(samples, path, name, format.SampleRate, format.Channels, cancellationToken);
    }

    private DecodedAudio DecodeMp3(Stream stream, string path, CancellationToken cancellationToken)
    {
        // NLayer decodes whatever complete frames there are and stops quietly at a cut, so the frames are
        // scanned first: a truncated file is reported, and the length is known (and limited) before decoding.
        var scan = Mp3FrameScan.Read(stream, path);
        CheckDuration(TimeSpan.FromSeconds(scan.DecodedSamples / (double)scan.SampleRate), path);
        using var mpeg = new MpegFile(stream);
        if (mpeg.SampleRate <= 0 || mpeg.Channels <= 0)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, "no MPEG audio frame found");
        }

        CheckStreamFormat(mpeg.SampleRate, mpeg.Channels, path, "MP3");
        var channels = mpeg.Channels;

        // NLayer's Length (from its own frame scan) is the number of samples it will give, so the gapless window is
        // known before decoding and the samples stream through the mixer and resampler: nothing the size of the
        // whole clip at its source rate is held (a 43 MB file of 32 kbit/s frames is 3 hours of 48 kHz stereo, 4 GB
        // as floats).
        var decoded = (int)Math.Min(int.MaxValue, mpeg.Length / (sizeof(float) * (long)channels));
        var (skip, keep) = GaplessWindow(scan, decoded);
        var toSkip = (long)skip * channels;
        var remaining = (long)keep * channels;
        var scratch = new float[ChunkSamples];
        while (toSkip > 0)
        {
            var read = mpeg.ReadSamples(scratch, 0, (int)Math.Min(scratch.Length, toSkip));
            if (read <= 0)
            {
                break;
            }

            toSkip -= read;
        }

        var provider = new InterleavedSampleProvider(mpeg.SampleRate, channels, (buffer, offset, count) =>
        {
            if (remaining <= 0)
            {
                return 0;
            }

            var read = mpeg.ReadSamples(buffer, offset, (int)Math.Min(count, remaining));
            remaining -= Math.Max(read, 0);
            return Math.Max(read, 0);
        });
        return Finish(provider, path, "MP3", mpeg.SampleRate, channels, cancellationToken);
    }

    /// <summary>
    /// Which decoded samples (per channel) are the encoded audio. Without a LAME/FFmpeg tag the delays are
    /// unknown and everything is kept (the clip then starts ~50 ms late). With one, NLayer 3.0 already drops the
    /// encoder delay and padding but not the 529-sample delay of the synthesis filterbank, so its output starts
    /// 529 samples late and ends 529 samples early; the late start is removed here (times then match the source),
    /// the lost tail cannot be recovered. If NLayer did not trim (the counts show it), the whole window is cut here.
    /// </summary>
    private static (int Skip, int Keep) GaplessWindow(Mp3FrameScan scan, int decoded)
    {
        if (scan is not { EncoderDelay: { } delay, EncoderPadding: { } padding })
        {
            return (0, decoded);
        }

        var encoded = (int)(scan.DecodedSamples - delay - padding);
        return decoded == encoded
            ? (Mp3FrameScan.DecoderDelaySamples, decoded - Mp3FrameScan.DecoderDelaySamples)
            : (delay + Mp3FrameScan.DecoderDelaySamples, Math.Max(0, Math.Min(encoded, decoded - delay - Mp3FrameScan.DecoderDelaySamples)));
    }

    private DecodedAudio DecodeVorbis(Stream stream, string path, CancellationToken cancellationToken)
    {
        OggPageCheck.EnsureComplete(stream, path);
        using var vorbis = new VorbisReader(stream, closeOnDispose: false);
        CheckStreamFormat(vorbis.SampleRate, vorbis.Channels, path, "Ogg Vorbis");
        if (vorbis.TotalSamples > 0)
        {
            CheckDuration(vorbis.TotalTime, path);
        }

        var provider = new InterleavedSampleProvider(vorbis.SampleRate, vorbis.Channels, vorbis.ReadSamples);
        return Finish(provider, path, "Ogg Vorbis", vorbis.SampleRate, vorbis.Channels, cancellationToken);
    }

    private DecodedAudio DecodeOpus(Stream stream, string path, CancellationToken cancellationToken)
    {
        OggPageCheck.EnsureComplete(stream, path);
        var maxSamples = (long)(Options.MaxDuration.TotalSeconds * OggOpusDecoder.SampleRate);
        var (samples, channels) = OggOpusDecoder.Decode(stream, path, maxSamples, cancellationToken);
        var position = 0;
        var provider = new InterleavedSampleProvider(OggOpusDecoder.SampleRate, 1, (buffer, offset, count) =>
        {
            var n = Math.Min(count, samples.Length - position);
            Array.Copy(samples, position, buffer, offset, n);
            position += n;
            return n;
        });
        return Finish(provider, path, "Ogg Opus", OggOpusDecoder.SampleRate, channels, cancellationToken);
    }

    private void CheckDuration(TimeSpan duration, string path)
    {
        if (duration > Options.MaxDuration)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.TooLarge, $"{duration.TotalSeconds:0.#} s long, over the limit of {Options.MaxDuration.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Refuses a sample rate or channel count the mixer and resampler cannot work with (a zero rate makes
    /// the resampler's ratio infinite).</summary>
    private static void CheckStreamFormat(int sampleRate, int channels, string path, string formatName)
    {
        if (sampleRate is <= 0 or > WaveHeaderCheck.MaxSampleRate)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"{formatName} header declares a sample rate of {sampleRate} Hz (1 to {WaveHeaderCheck.MaxSampleRate} are accepted)");
        }

        if (channels is <= 0 or > WaveHeaderCheck.MaxChannels)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"{formatName} header declares {channels} channels (1 to {WaveHeaderCheck.MaxChannels} are accepted)");
        }
    }

    /// <summary>Mixes to mono, resamples to 16 kHz and collects the samples, enforcing the duration limit.</summary>
    private DecodedAudio Finish(ISampleProvider source, string path, string formatName, int sourceRate, int sourceChannels, CancellationToken cancellationToken)
    {
        CheckStreamFormat(sourceRate, sourceChannels, path, formatName);
        ISampleProvider mono = new MonoMixSampleProvider(source);
        if (sourceRate != DecodedAudio.SampleRate)
        {
            mono = new WdlResamplingSampleProvider(mono, DecodedAudio.SampleRate);
        }

        var maxSamples = (long)(Options.MaxDuration.TotalSeconds * DecodedAudio.SampleRate);
        var output = new List<float>();
        var buffer = new float[ChunkSamples];
        int read;
        while ((read = mono.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.AddRange(buffer.AsSpan(0, read));
            if (output.Count > maxSamples)
            {
                throw new MediaDecodeException(path, MediaDecodeFailure.TooLarge, $"longer than the limit of {Options.MaxDuration.TotalSeconds:0.#} s");
            }
        }

        if (output.Count == 0)
        {
            throw new MediaDecodeException(path, MediaDecodeFailure.Corrupt, $"{formatName}: no audio samples decoded");
        }

        return new DecodedAudio(path, output.ToArray(), formatName, sourceRate, sourceChannels);
    }
}
