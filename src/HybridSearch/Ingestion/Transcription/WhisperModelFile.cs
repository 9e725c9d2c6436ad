using HybridSearch.Ingestion.Media;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Checks the structure of a whisper.cpp ggml model file before whisper.cpp sees it. whisper.cpp trusts the file:
/// an unknown weight type stops the whole process in a GGML_ASSERT, a huge length allocates without bound, and a
/// file that ends after the vocabulary loads as an "empty model" whose first use aborts the process. So the header,
/// the mel filters, the vocabulary and every tensor header are read here, each value bounded, every length checked
/// against the file, and the number of tensors checked against what the layer counts require; whisper.cpp then
/// checks each tensor's name and shape itself and fails cleanly when one is wrong. Weights are not read.
/// </summary>
internal static class WhisperModelFile
{
    private const uint GgmlMagic = 0x67676d6c; // "ggml", little-endian
    private const int MaxDimension = 8192;
    private const int MaxContext = 4096;
    private const int MaxLayers = 128;
    private const int MaxVocabulary = 1_000_000;
    private const int MaxTokenBytes = 1024;
    private const int MaxTensorNameBytes = 256;

    // Model-level ftype (modulo ggml's quantization version factor of 1000) that whisper.cpp maps to a weight type:
    // f32, f16, q4_0, q4_1, q8_0, q5_0, q5_1, q2_k..q6_k. Others stop ggml in an assertion.
    private static readonly HashSet<int> KnownFileTypes = [0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14];

    // ggml tensor types: (elements per block, bytes per block).
    private static readonly Dictionary<int, (int Block, int Bytes)> TensorTypes = new()
    {
        [0] = (1, 4), // f32
        [1] = (1, 2), // f16
        [2] = (32, 18), // q4_0
        [3] = (32, 20), // q4_1
        [6] = (32, 22), // q5_0
        [7] = (32, 24), // q5_1
        [8] = (32, 34), // q8_0
        [10] = (256, 84), // q2_k
        [11] = (256, 110), // q3_k
        [12] = (256, 144), // q4_k
        [13] = (256, 176), // q5_k
        [14] = (256, 210), // q6_k
        [30] = (1, 2), // bf16
    };

    /// <summary>Reads and checks the file; returns a one-line description of the model.</summary>
    /// <exception cref="WhisperModelException">Missing, unreadable, or not a well-formed whisper.cpp model.</exception>
    public static string Validate(string path)
    {
        FileStream stream;
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.RegularFile or FileKind.Missing))
        {
            // Not opened: a FIFO would block, and a device has no model in it.
            throw new WhisperModelException(path, $"the model path is {FileKinds.Describe(kind)}, not a regular file");
        }

        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new WhisperModelException(path, $"cannot open the model file: {exception.Message}", exception);
        }

        using (stream)
        using (var reader = new BinaryReader(stream))
        {
            try
            {
                return Validate(reader, path);
            }
            catch (EndOfStreamException exception)
            {
                throw new WhisperModelException(path, $"the model file ends early (at byte {stream.Position} of {stream.Length}); it is truncated or not a model", exception);
            }
        }
    }

    private static string Validate(BinaryReader reader, string path)
    {
        var length = reader.BaseStream.Length;
        if (length < 4 || reader.ReadUInt32() != GgmlMagic)
        {
            throw new WhisperModelException(path, "not a whisper.cpp ggml model (the file does not start with the ggml magic 'lmgg')");
        }

        var vocabulary = Bounded(reader, path, "n_vocab", 1, MaxVocabulary);
        var audioContext = Bounded(reader, path, "n_audio_ctx", 1, MaxContext);
        var audioState = Bounded(reader, path, "n_audio_state", 1, MaxDimension);
        var audioHeads = Bounded(reader, path, "n_audio_head", 1, audioState);
        var audioLayers = Bounded(reader, path, "n_audio_layer", 1, MaxLayers);
        var textContext = Bounded(reader, path, "n_text_ctx", 1, MaxContext);
        var textState = Bounded(reader, path, "n_text_state", 1, MaxDimension);
        var textHeads = Bounded(reader, path, "n_text_head", 1, textState);
        var textLayers = Bounded(reader, path, "n_text_layer", 1, MaxLayers);
        var mels = Bounded(reader, path, "n_mels", 1, 512);
        var fileType = reader.ReadInt32();
        if (audioState % audioHeads != 0 || textState % textHeads != 0)
        {
            throw new WhisperModelException(path, $"the attention heads ({audioHeads}, {textHeads}) do not divide the widths ({audioState}, {textState})");
        }

        if (fileType < 0 || !KnownFileTypes.Contains(fileType % 1000))
        {
            throw new WhisperModelException(path, $"unknown weight type (ftype {fileType})");
        }

        var filterMels = reader.ReadInt32();
        var filterBins = Bounded(reader, path, "the mel filter's n_fft", 1, 4096);
        if (filterMels != mels)
        {
            throw new WhisperModelException(path, $"the mel filter has {filterMels} bands but the header says n_mels = {mels}");
        }

        Skip(reader, (long)filterMels * filterBins * sizeof(float));
        var tokens = reader.ReadInt32();
        if (tokens != vocabulary)
        {
            throw new WhisperModelException(path, $"the vocabulary has {tokens} tokens but the header says n_vocab = {vocabulary}");
        }

        for (var token = 0; token < tokens; token++)
        {
            var bytes = reader.ReadInt32();
            if (bytes is < 0 or > MaxTokenBytes)
            {
                throw new WhisperModelException(path, $"vocabulary token {token} claims {bytes} bytes");
            }

            Skip(reader, bytes);
        }

        // The tensors whisper.cpp creates: 7 encoder-wide (positional embedding, two convolutions with biases, final
        // norm), 15 per encoder layer, 4 decoder-wide (positional and token embeddings, final norm) and 24 per
        // decoder layer (self- and cross-attention).
        var expectedTensors = 7 + (15 * audioLayers) + 4 + (24 * textLayers);
        var tensors = 0;
        long weightBytes = 0;
        while (reader.BaseStream.Position < length)
        {
            var dimensions = reader.ReadInt32();
            var nameBytes = reader.ReadInt32();
            var type = reader.ReadInt32();
            if (dimensions is < 1 or > 4 || nameBytes is < 1 or > MaxTensorNameBytes || !TensorTypes.TryGetValue(type, out var layout))
            {
                throw new WhisperModelException(path, $"tensor {tensors + 1} has an invalid header ({dimensions} dimensions, a {nameBytes}-byte name, type {type})");
            }

            long elements = 1;
            for (var dimension = 0; dimension < dimensions; dimension++)
            {
                var size = reader.ReadInt32();
                if (size is < 1 or > MaxVocabulary)
                {
                    throw new WhisperModelException(path, $"tensor {tensors + 1} has a dimension of {size}");
                }

                elements *= size;
            }

            var name = System.Text.Encoding.UTF8.GetString(reader.ReadBytes(nameBytes));
            if (name.Length == 0 || name.Any(character => character < ' ' || character > '~'))
            {
                throw new WhisperModelException(path, $"tensor {tensors + 1} has a name that is not printable ASCII");
            }

            if (elements % layout.Block != 0)
            {
                throw new WhisperModelException(path, $"tensor '{name}' has {elements} elements, not a multiple of its type's block of {layout.Block}");
            }

            var dataBytes = elements / layout.Block * layout.Bytes;
            Skip(reader, dataBytes);
            weightBytes += dataBytes;
            tensors++;
        }

        if (tensors != expectedTensors)
        {
            throw new WhisperModelException(path,
                $"the header declares {audioLayers} encoder and {textLayers} decoder layers, which need {expectedTensors} tensors, but the file has {tensors}");
        }

        // whisper.cpp allocates the weights from the header before it reads them; the file must hold at least the
        // main matrices at the most compact type (~0.33 bytes per weight for q2_k), so a small file cannot make it
        // allocate gigabytes.
        var mainWeights = (12L * audioState * audioState * audioLayers) + (16L * textState * textState * textLayers) + ((long)vocabulary * textState)
            + ((long)audioContext * audioState) + ((long)textContext * textState);
        if (weightBytes < mainWeights / 4)
        {
            throw new WhisperModelException(path, $"the header describes about {mainWeights:N0} weights but the file holds only {weightBytes:N0} bytes of them");
        }

        return $"whisper.cpp model: {audioLayers}+{textLayers} layers, width {audioState}/{textState}, {vocabulary} tokens, {mels} mel bands, ftype {fileType}";
    }

    private static int Bounded(BinaryReader reader, string path, string field, int min, int max)
    {
        var value = reader.ReadInt32();
        if (value < min || value > max)
        {
            throw new WhisperModelException(path, $"{field} = {value} is outside {min}..{max}; not a whisper.cpp model or a damaged one");
        }

        return value;
    }

    private static void Skip(BinaryReader reader, long bytes)
    {
        var stream = reader.BaseStream;
        if (bytes > stream.Length - stream.Position)
        {
            throw new EndOfStreamException($"{bytes} bytes declared at byte {stream.Position}, {stream.Length - stream.Position} left");
        }

        stream.Position += bytes;
    }
}
