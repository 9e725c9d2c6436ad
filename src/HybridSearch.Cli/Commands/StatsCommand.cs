using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Cli.Output;
using HybridSearch.Indexing;
using HybridSearch.Records;
using Spectre.Console;

namespace HybridSearch.Cli.Commands;

/// <summary><c>hybridsearch stats</c>: what an index holds (records, images, transcript segments, text chunks),
/// its vector fields with their embedders, its metadata fields and its size on disk.</summary>
internal static class StatsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console)
    {
        var index = CommonOptions.Index("The index directory (with --cluster: the logical index's name; without it, the cluster's silos and indexes are listed).");
        index.Required = false;
        var json = CommonOptions.Json("Print one JSON object instead of a table.");
        var cluster = ClusterOptions.Cluster();
        var command = new Command("stats", "Show what an index holds: records, images, transcript segments, vector fields with their embedders, size on disk.")
        {
            index,
            json,
            cluster,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(cluster) is null && result.GetResult(index) is null)
            {
                result.AddError("Option '--index' is required.");
            }
        });
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(cluster) is { } clusterUrl)
            {
                return ClusterCommands.StatsAsync(console, clusterUrl, parseResult.GetValue(index), parseResult.GetValue(json), CancellationToken.None).GetAwaiter().GetResult();
            }

            var path = CommonOptions.RequireExistingIndex(parseResult.GetRequiredValue(index));
            using var hybridIndex = HybridIndex.OpenReadOnly(path);
            var stats = hybridIndex.GetStats();
            var valueCounts = ValueCounts(hybridIndex, stats);
            if (parseResult.GetValue(json))
            {
                console.Out.WriteLine(ToJson(stats, valueCounts, hybridIndex.FusionProfileJson));
            }
            else
            {
                Render(console.Ansi, path, stats);
                RenderValueCounts(console.Ansi, valueCounts);
                console.Ansi.WriteLine(hybridIndex.FusionProfileJson is { } profile
                    ? $"fusion profile (fitted by 'tune', used by search unless --profile default): {profile}"
                    : "fusion profile: none (search uses the default fusion)");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Keyword fields whose value counts stats shows (the DICOM modality and body part).</summary>
    internal static readonly string[] CountedFields = [Ingestion.Dicom.DicomFieldNames.Modality, Ingestion.Dicom.DicomFieldNames.BodyPart];

    /// <summary>For each counted keyword field present: value → (records, images).</summary>
    internal static Dictionary<string, List<(string Value, int Records, int Images)>> ValueCounts(HybridIndex index, IndexStats stats)
    {
        var result = new Dictionary<string, List<(string, int, int)>>(StringComparer.Ordinal);
        foreach (var field in CountedFields)
        {
            if (!stats.MetadataFields.TryGetValue(field, out var kind) || kind != FieldKind.Keyword)
            {
                continue;
            }

            var records = KeywordValueCounter.Count(index, field, DocumentKind.Record).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            var images = KeywordValueCounter.Count(index, field, DocumentKind.Image).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            result[field] = records.Keys.Union(images.Keys).Order(StringComparer.Ordinal)
                .Select(value => (value, records.GetValueOrDefault(value), images.GetValueOrDefault(value)))
                .OrderByDescending(row => row.Item2).ThenByDescending(row => row.Item3).ToList();
        }

        return result;
    }

    /// <summary>The stats as one JSON object.</summary>
    internal static string ToJson(IndexStats stats, Dictionary<string, List<(string Value, int Records, int Images)>>? valueCounts = null, string? fusionProfileJson = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("records", stats.Records);
            writer.WriteNumber("images", stats.Images);
            writer.WriteNumber("transcript_segments", stats.TranscriptSegments);
            writer.WriteNumber("text_chunks", stats.Chunks);
            writer.WriteStartObject("vector_fields");
            foreach (var (name, field) in stats.VectorFields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(name);
                writer.WriteString("embedder", field.Embedder);
                writer.WriteNumber("dimension", field.Dimension);
                writer.WriteString("similarity", field.Similarity.ToString().ToLowerInvariant());
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("metadata_fields");
            foreach (var (name, kind) in stats.MetadataFields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(name, kind.ToString().ToLowerInvariant());
            }

            writer.WriteEndObject();
            if (valueCounts is { Count: > 0 })
            {
                writer.WriteStartObject("value_counts");
                foreach (var (field, rows) in valueCounts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject(field);
                    foreach (var (value, records, images) in rows)
                    {
                        writer.WriteStartObject(value);
                        writer.WriteNumber("records", records);
                        writer.WriteNumber("images", images);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteNumber("size_on_disk_bytes", stats.SizeOnDiskBytes);
            writer.WriteNumber("lucene_segments", stats.LuceneSegments);
            writer.WritePropertyName("fusion_profile");
            if (fusionProfileJson is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(fusionProfileJson);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void RenderValueCounts(IAnsiConsole console, Dictionary<string, List<(string Value, int Records, int Images)>> valueCounts)
    {
        foreach (var (field, rows) in valueCounts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var table = new Table().Title(Markup.Escape($"{field} counts")).AddColumns(Markup.Escape(field), "records", "images");
            foreach (var (value, records, images) in rows)
            {
                table.AddRow(Markup.Escape(value), records.ToString(CultureInfo.InvariantCulture), images.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }
    }

    private static void Render(IAnsiConsole console, string path, IndexStats stats)
    {
        var summary = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
        void Row(string name, string value) => summary.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("index", path);
        Row("records", stats.Records.ToString(CultureInfo.InvariantCulture));
        Row("images", stats.Images.ToString(CultureInfo.InvariantCulture));
        Row("transcript segments", stats.TranscriptSegments.ToString(CultureInfo.InvariantCulture));
        Row("text chunks", stats.Chunks.ToString(CultureInfo.InvariantCulture));
        Row("size on disk", $"{ByteSizeFormatter.Format(stats.SizeOnDiskBytes)} ({stats.SizeOnDiskBytes.ToString(CultureInfo.InvariantCulture)} bytes)");
        Row("lucene segments", stats.LuceneSegments.ToString(CultureInfo.InvariantCulture));
        console.Write(summary);

        var vectors = new Table().Title("vector fields").AddColumns("field", "embedder", "dimension", "similarity");
        foreach (var (name, field) in stats.VectorFields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            vectors.AddRow(Markup.Escape(name), Markup.Escape(field.Embedder.Length == 0 ? "(unnamed)" : field.Embedder), field.Dimension.ToString(CultureInfo.InvariantCulture), field.Similarity.ToString().ToLowerInvariant());
        }

        if (stats.VectorFields.Count == 0)
        {
            console.WriteLine("vector fields: none");
        }
        else
        {
            console.Write(vectors);
        }

        if (stats.MetadataFields.Count > 0)
        {
            var metadata = new Table().Title("metadata fields (filterable)").AddColumns("field", "kind");
            foreach (var (name, kind) in stats.MetadataFields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                metadata.AddRow(Markup.Escape(name), kind.ToString().ToLowerInvariant());
            }

            console.Write(metadata);
        }
    }
}
