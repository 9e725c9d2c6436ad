using System.CommandLine;
using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Cli.Commands;

/// <summary>The model options of <c>index</c> and <c>search</c>: <c>--clip-model DIR</c> (a CLIP ONNX export) and,
/// for indexing, <c>--whisper-model FILE</c> (a ggml Whisper model). ResNet18 and MiniLM are always loaded from
/// their NuGet packages.</summary>
internal sealed class ModelOptions
{
    private readonly bool _withWhisper;

    private ModelOptions(bool withWhisper)
    {
        _withWhisper = withWhisper;
        ClipModel = new Option<string>("--clip-model")
        {
            Description = "A CLIP ONNX export folder (vision_model.onnx + text_model.onnx, or model.onnx; tokenizer.json, or vocab.json + merges.txt).",
            HelpName = "DIR",
        };
        WhisperModel = new Option<string>("--whisper-model")
        {
            Description = "A ggml Whisper model file, to transcribe audio without a .srt/.vtt sidecar.",
            HelpName = "FILE",
        };
    }

    /// <summary><c>--clip-model DIR</c>.</summary>
    public Option<string> ClipModel { get; }

    /// <summary><c>--whisper-model FILE</c>.</summary>
    public Option<string> WhisperModel { get; }

    /// <summary>The options of <c>index</c> (CLIP and Whisper).</summary>
    public static ModelOptions Create() => new(withWhisper: true);

    /// <summary>The options of <c>search</c> (CLIP only: queries are never transcribed).</summary>
    public static ModelOptions CreateForSearch() => new(withWhisper: false);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(ClipModel);
        if (_withWhisper)
        {
            command.Options.Add(WhisperModel);
        }
    }

    /// <summary>Loads the CLIP model when <c>--clip-model</c> is given.</summary>
    /// <exception cref="CliUserException">The folder does not exist or is not a usable CLIP export.</exception>
    public ClipModel? LoadClip(ParseResult parseResult)
    {
        var folder = parseResult.GetValue(ClipModel);
        if (folder is null)
        {
            return null;
        }

        if (!Directory.Exists(folder))
        {
            throw new CliUserException($"--clip-model: folder '{folder}' does not exist.");
        }

        try
        {
            return new ClipModel(folder);
        }
        catch (ClipModelException exception)
        {
            throw new CliUserException($"--clip-model: {exception.Message}", exception);
        }
    }

    /// <summary>Pipeline options for the chosen models; dispose the result after the pipeline.</summary>
    public ConfiguredModels CreatePipelineOptions(ParseResult parseResult)
    {
        var whisperPath = _withWhisper ? parseResult.GetValue(WhisperModel) : null;
        if (whisperPath is not null && !File.Exists(whisperPath))
        {
            throw new CliUserException($"--whisper-model: file '{whisperPath}' does not exist.");
        }

        WhisperTranscriber? whisper = null;
        ClipModel? clip = null;
        IngestionPipelineOptions options;
        try
        {
            // Sidecar transcripts stay first: they are exact and free; Whisper covers audio without one.
            whisper = whisperPath is null ? null : new WhisperTranscriber(new WhisperOptions(whisperPath));
            clip = LoadClip(parseResult);

            // The packaged models last, so a bad --clip-model fails before they load; they are the process's, shared.
            options = LoadedModels.Shared.ForPipeline(IngestionPipelineOptions.Default);
        }
        catch
        {
            whisper?.Dispose();
            clip?.Dispose();
            throw;
        }

        if (clip is not null)
        {
            options = options.WithClipImageEmbedder(clip.ImageEmbedder);
        }

        if (whisper is not null)
        {
            options = options with { Transcriber = new TranscriberChain([new SidecarTranscriber(), whisper]) };
        }

        return new ConfiguredModels(options, clip, whisper);
    }
}
