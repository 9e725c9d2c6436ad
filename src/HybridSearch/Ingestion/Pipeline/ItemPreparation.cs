using HybridSearch.Indexing;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Transcription;
using HybridSearch.Records;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Ingestion.Pipeline;

/// <summary>
/// The preparation stage of an <see cref="IngestionRun"/> for one record: decodes its images (DICOM or not) and
/// prepares a copy per image embedder, decodes and transcribes its audio. A file that cannot be used becomes a problem
/// of that item; the record goes on. Runs on several workers at once; holds no state of its own.
/// </summary>
internal sealed class ItemPreparation(IngestionPipeline pipeline)
{
    /// <summary>Decodes and prepares the record's images and transcribes its audio, noting each unusable file.</summary>
    public async Task<PipelineItem> PrepareAsync(Record record, CancellationToken token)
    {
        var item = PipelineItem.ForRecord(record);
        try
        {
            foreach (var image in record.Images)
            {
                token.ThrowIfCancellationRequested();
                try
                {
                    item.Images.Add(await PrepareImageAsync(image, token).ConfigureAwait(false));
                }
                catch (IngestionException problem)
                {
                    item.Problems.Add(problem);
                }
            }

            foreach (var audio in record.Audio)
            {
                await TranscribeAsync(audio, item, token).ConfigureAwait(false);
            }

            return item;
        }
        catch
        {
            item.Dispose();
            throw;
        }
    }

    private async Task<PreparedImage> PrepareImageAsync(RecordImage image, CancellationToken token)
    {
        DecodedImage decoded;
        if (Dicom.DicomPipelineDecoder.Handles(image.Path))
        {
            // A DICOM image: its frame, and its tags as metadata when the source gave none.
            (decoded, image) = pipeline.DicomDecoder.Decode(image);
        }
        else
        {
            decoded = await pipeline.ImageDecoder.DecodeAsync(image.Path, token).ConfigureAwait(false);
        }

        var owned = new List<Image<Rgb24>> { decoded.Image };
        try
        {
            var original = decoded.Image;
            var forImage = pipeline.ImagePreparation?.Invoke(original) ?? original;
            owned.Add(forImage);
            Image<Rgb24>? forClip = null;
            if (pipeline.ClipImageEmbedder is not null)
            {
                forClip = pipeline.ClipImagePreparation?.Invoke(original) ?? original;
                owned.Add(forClip);
            }

            if (forImage != original && forClip != original)
            {
                // Both embedders got their own prepared copy: the (possibly large) original can go now.
                original.Dispose();
                owned.Remove(original);
            }

            return new PreparedImage(image, forImage, forClip, owned);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            foreach (var buffer in owned.Distinct())
            {
                buffer.Dispose();
            }

            if (exception is IngestionException)
            {
                throw;
            }

            // A preparation (resize) that fails on a decodable image is still a problem with that file only.
            throw new MediaDecodeException(image.Path, MediaDecodeFailure.Corrupt, $"preparing the image for embedding failed: {exception.Message}", exception);
        }
    }

    /// <summary>Decodes the clip first (so a file that is not audio is reported even when a sidecar transcript
    /// exists or no recogniser is installed; transcribers reuse the decoded samples), then transcribes it.</summary>
    private async Task TranscribeAsync(RecordAudio audio, PipelineItem item, CancellationToken token)
    {
        var request = new TranscriptionRequest(audio, pipeline.AudioDecoder);
        try
        {
            await request.GetDecodedAudioAsync(token).ConfigureAwait(false);
        }
        catch (MediaDecodeException problem)
        {
            item.Problems.Add(problem);
            return;
        }

        TranscriptionResult result;
        try
        {
            result = await pipeline.Transcriber.TranscribeAsync(request, token).ConfigureAwait(false);
        }
        catch (IngestionException problem)
        {
            // A malformed sidecar: the clip is still indexed, without transcript.
            item.Problems.Add(problem);
            item.AudioWithoutTranscript.Add(audio.Path);
            return;
        }

        item.Warnings.AddRange(result.Warnings);
        if (result.HasTranscript && result.Segments.Count > 0)
        {
            item.Segments.AddRange(result.Segments.Select(segment => new IndexedSegment(audio.Path, segment.StartMs, Math.Max(segment.StartMs, segment.EndMs), segment.Text)));
        }
        else
        {
            item.AudioWithoutTranscript.Add(audio.Path);
        }
    }
}
