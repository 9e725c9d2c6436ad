using HybridSearch.Embedding;
using HybridSearch.Ingestion.Pipeline;
using HybridSearch.Ingestion.Transcription;

namespace HybridSearch.Cli.Commands;

/// <summary>Pipeline options plus the models the command loaded for them (the pipeline does not own models given in
/// its options, so the command releases them after the run).</summary>
/// <param name="Options">The pipeline options.</param>
/// <param name="Clip">The CLIP model, or null.</param>
/// <param name="Whisper">The Whisper transcriber, or null.</param>
internal sealed record ConfiguredModels(IngestionPipelineOptions Options, ClipModel? Clip, WhisperTranscriber? Whisper) : IDisposable
{
    /// <summary>Releases the loaded models.</summary>
    public void Dispose()
    {
        Clip?.Dispose();
        Whisper?.Dispose();
    }
}
