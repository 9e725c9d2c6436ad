using System.Runtime.InteropServices;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Offline speech recognition with CMU pocketsphinx (5prealpha, through P/Invoke into <c>libpocketsphinx.so.3</c>).
/// The clip is decoded to 16 kHz mono, converted to 16-bit, fed in utterances of bounded length, and the recognised
/// words grouped into timed segments (<see cref="PocketSphinxOptions"/>). When the library or model files are
/// missing, <see cref="SerializedNativeTranscriber.TranscribeAsync"/> returns "no transcript" with the reason instead of failing. A pocketsphinx
/// decoder is not thread-safe: one decoder is created on first use (loading the model takes about a second) and
/// calls are serialised on it.
/// </summary>
public sealed class PocketSphinxTranscriber : SerializedNativeTranscriber
{
    private const int FrameMs = 10; // pocketsphinx's default frame rate is 100 frames per second
    private readonly PocketSphinxOptions _options;
    private readonly PocketSphinxNative? _native;
    private nint _decoder;

    /// <summary>Creates the transcriber and checks whether pocketsphinx can run here (nothing heavy is loaded yet).</summary>
    /// <param name="options">Library and model paths; <see cref="PocketSphinxOptions.Default"/> when null.</param>
    public PocketSphinxTranscriber(PocketSphinxOptions? options = null)
    {
        _options = options ?? PocketSphinxOptions.Default;

        // Both checks always run, so the reason names everything that is missing, the library first (it is what the
        // user installs first), whatever else happens to be present.
        var problems = new List<string>();
        if (!PocketSphinxNative.TryLoad(_options, out var loaded, out var libraryProblem))
        {
            problems.Add(libraryProblem);
        }

        var missing = new[] { _options.LanguageModelPath, _options.DictionaryPath }.Where(path => !File.Exists(path))
            .Concat(Directory.Exists(_options.AcousticModelDirectory) ? [] : [_options.AcousticModelDirectory]).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"model files missing: {string.Join(", ", missing)} (install pocketsphinx-en-us)");
        }

        if (problems.Count > 0)
        {
            UnavailableReason = string.Join("; ", problems);
        }
        else
        {
            _native = loaded;
        }
    }

    /// <inheritdoc />
    public override string Name => "pocketsphinx";

    /// <inheritdoc />
    protected override async Task<TranscriptionResult> TranscribeExclusiveAsync(DecodedAudio audio, CancellationToken cancellationToken)
    {
        var words = await Task.Run(() => Recognize(audio, cancellationToken), cancellationToken).ConfigureAwait(false);
        return TranscriptionResult.Transcribed(Name, TranscriptSegmenter.Group(words, _options.SegmentPauseMs, _options.MaxWordsPerSegment));
    }

    /// <inheritdoc />
    protected override void ReleaseNative() => FreeDecoder();

    private unsafe void FreeDecoder()
    {
        if (_decoder != 0)
        {
            _native!.PsFree(_decoder);
            _decoder = 0;
        }
    }

    private unsafe void StartStream(string path)
    {
        if (_native!.PsStartStream(_decoder) < 0)
        {
            throw new IngestionException(path, null, "pocketsphinx could not start a stream");
        }
    }

    private List<RecognizedWord> Recognize(DecodedAudio audio, CancellationToken cancellationToken)
    {
        EnsureDecoder(audio.Path);
        var pcm = new short[audio.Samples.Length];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(MathF.Round(audio.Samples[i] * short.MaxValue), short.MinValue, short.MaxValue);
        }

        var words = new List<RecognizedWord>();
        foreach (var (start, length) in SplitUtterances(audio.Samples, _options.MaxUtteranceMs))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A new stream per utterance resets pocketsphinx's frame counter, so word frames are relative to the
            // utterance whatever the library version does across utterances; the offset is added here.
            StartStream(audio.Path);
            DecodeUtterance(pcm.AsSpan(start, length), start * 1000L / DecodedAudio.SampleRate, audio.Path, words);
        }

        return words;
    }

    private unsafe void DecodeUtterance(ReadOnlySpan<short> pcm, long offsetMs, string path, List<RecognizedWord> words)
    {
        if (_native!.PsStartUtt(_decoder) < 0)
        {
            throw new IngestionException(path, null, "pocketsphinx could not start an utterance");
        }

        // The whole utterance at once (full_utt = 1), as batch cepstral mean normalisation needs.
        int processed;
        fixed (short* data = pcm)
        {
            processed = _native.PsProcessRaw(_decoder, data, (nuint)pcm.Length, 0, 1);
        }

        if (_native.PsEndUtt(_decoder) < 0 || processed < 0)
        {
            throw new IngestionException(path, null, "pocketsphinx failed to decode an utterance");
        }

        var score = 0;
        for (var segment = _native.PsSegIter(_decoder, &score); segment != 0; segment = _native.PsSegNext(segment))
        {
            var word = Marshal.PtrToStringUTF8(_native.PsSegWord(segment)) ?? string.Empty;
            int startFrame, endFrame;
            _native.PsSegFrames(segment, &startFrame, &endFrame);
            words.Add(new RecognizedWord(word, offsetMs + (startFrame * FrameMs), offsetMs + ((endFrame + 1) * FrameMs)));
        }
    }

    private unsafe void EnsureDecoder(string path)
    {
        if (_decoder != 0)
        {
            return;
        }

        string[] arguments =
        [
            "-hmm", _options.AcousticModelDirectory,
            "-lm", _options.LanguageModelPath,
            "-dict", _options.DictionaryPath,
            "-logfn", "/dev/null",

            // Per-utterance (batch) normalisation: no state carried from one clip to the next, so results are
            // deterministic whatever was transcribed before.
            "-cmn", "current",
        ];
        var argv = new nint[arguments.Length];
        try
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                argv[i] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            nint config;
            fixed (nint* pointer = argv)
            {
                config = _native!.CmdLnParseR(0, _native.PsArgs(), argv.Length, pointer, 1);
            }

            if (config == 0)
            {
                throw new IngestionException(path, null, "pocketsphinx rejected its configuration");
            }

            // ps_init keeps its own reference to the configuration.
            _decoder = _native.PsInit(config);
            _native.CmdLnFreeR(config);
            if (_decoder == 0)
            {
                throw new IngestionException(path, null, $"pocketsphinx could not load the model from '{_options.AcousticModelDirectory}'");
            }
        }
        finally
        {
            foreach (var pointer in argv)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    /// <summary>Cuts the clip into pieces of at most <paramref name="maxMs"/>, each cut at the quietest 100 ms
    /// window in the last quarter of the piece, so words are rarely split.</summary>
    internal static List<(int Start, int Length)> SplitUtterances(ReadOnlySpan<float> samples, int maxMs)
    {
        var pieces = new List<(int Start, int Length)>();
        var maxLength = (int)((long)maxMs * DecodedAudio.SampleRate / 1000);
        const int Window = DecodedAudio.SampleRate / 10;
        var start = 0;
        while (samples.Length - start > maxLength)
        {
            var searchFrom = start + (maxLength * 3 / 4);
            var best = start + maxLength;
            var bestEnergy = double.MaxValue;
            for (var position = searchFrom; position + Window <= start + maxLength; position += Window / 2)
            {
                var energy = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(samples.Slice(position, Window));
                if (energy < bestEnergy)
                {
                    bestEnergy = energy;
                    best = position + (Window / 2);
                }
            }

            pieces.Add((start, best - start));
            start = best;
        }

        if (samples.Length > start)
        {
            pieces.Add((start, samples.Length - start));
        }

        return pieces;
    }
}
