using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HybridSearch.Indexing;
using HybridSearch.Querying;
using HybridSearch.Records;

namespace HybridSearch.Cli.Output;

/// <summary>
/// Writes one page of results as one JSON object on one line:
/// <c>{"query_id":..,"took_ms":..,"total":..,"hits":[{"id","rank","score","title","legs":{"lexical":{"rank","score","contribution"}},"media":{..},"snippet","fields":{..}}]}</c>.
/// <c>query_id</c> only in batch mode; with explanations each leg also has <c>matched</c> and, for BM25 legs, <c>explanation</c>,
/// and <c>"fusion":{"method","corroboration","discrimination","legs":{"lexical":{"window","confidence","near_ties","top_gap","nqc","wig","base","flatness","corroboration","weight"}}}</c>
/// says per leg what fusion read and the weight it produced.
/// </summary>
internal static class SearchJsonWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The results as one line of JSON.</summary>
    public static string Write(HybridSearchResults results, string? queryId = null, bool explain = false)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (queryId is not null)
            {
                writer.WriteString("query_id", queryId);
            }

            writer.WriteNumber("took_ms", Math.Round(results.Elapsed.TotalMilliseconds, 3));
            writer.WriteNumber("total", results.TotalFused);
            writer.WriteNumber("offset", results.Offset);
            writer.WriteStartArray("hits");
            foreach (var hit in results.Hits)
            {
                WriteHit(writer, hit, explain);
            }

            writer.WriteEndArray();
            if (explain && results.LegSignals.Count > 0)
            {
                // Per leg: what fusion read from its window and the weight it counted with.
                writer.WriteStartObject("fusion");
                writer.WriteString("method", results.Fusion.Method.ToString());
                writer.WriteBoolean("corroboration", results.Fusion.Corroboration);
                writer.WriteBoolean("discrimination", results.Fusion.Discrimination);
                writer.WriteBoolean("abstention", results.Fusion.Abstention);
                writer.WriteBoolean("deferral", results.Fusion.Deferral);
                writer.WriteStartObject("legs");
                foreach (var signal in results.LegSignals)
                {
                    writer.WriteStartObject(Enum.TryParse<SearchLeg>(signal.Leg, out var leg) ? LegNames.Of(leg) : signal.Leg);
                    writer.WriteNumber("window", signal.Window);
                    writer.WriteNumber("confidence", Math.Round(signal.Confidence, 6));
                    writer.WriteNumber("near_ties", signal.NearTies);
                    writer.WriteNumber("top_gap", Math.Round(signal.TopGap, 6));
                    writer.WriteNumber("nqc", Math.Round(signal.Nqc, 6));
                    writer.WriteNumber("wig", Math.Round(signal.Wig, 6));
                    writer.WriteNumber("base", Math.Round(signal.Base, 6));
                    writer.WriteNumber("flatness", Math.Round(signal.Flatness, 6));
                    writer.WriteNumber("corroboration", Math.Round(signal.Corroboration, 6));
                    writer.WriteNumber("weight", Math.Round(signal.Weight, 6));
                    if (signal.DeferredTo is { } rival)
                    {
                        writer.WriteString("deferred_to", Enum.TryParse<SearchLeg>(rival, out var to) ? LegNames.Of(to) : rival);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteHit(Utf8JsonWriter writer, SearchHit hit, bool explain)
    {
        writer.WriteStartObject();
        writer.WriteString("id", hit.RecordId);
        writer.WriteNumber("rank", hit.Rank);
        writer.WriteNumber("score", hit.Score);
        writer.WriteString("title", hit.Title);
        writer.WriteStartObject("legs");
        foreach (var leg in hit.Legs)
        {
            writer.WriteStartObject(LegNames.Of(leg.Leg));
            writer.WriteNumber("rank", leg.Rank);
            writer.WriteNumber("score", leg.RawScore);
            writer.WriteNumber("contribution", leg.Contribution);
            if (explain)
            {
                // Credited, not matched: the leg (BM25) shares no word with the record and gave it its weakest match's score.
                writer.WriteBoolean("abstained", leg.Abstained);
                writer.WriteNumber("normalized", leg.NormalizedScore);
                writer.WriteNumber("weight", leg.Weight);
                writer.WriteString("matched", leg.MatchedDocumentId);
                writer.WriteString("matched_kind", leg.MatchedKind.ToString().ToLowerInvariant());
                if (leg.LuceneExplanation is { } explanation)
                {
                    writer.WritePropertyName("explanation");
                    WriteExplanation(writer, explanation);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (hit.BestMedia is { } media)
        {
            writer.WriteStartObject("media");
            writer.WriteString("kind", media.Kind == DocumentKind.Segment ? "audio" : media.Kind.ToString().ToLowerInvariant());
            writer.WriteString("path", media.Path);
            if (media.StartMs is { } start)
            {
                writer.WriteNumber("start_ms", start);
            }

            if (media.EndMs is { } end)
            {
                writer.WriteNumber("end_ms", end);
            }

            if (media.Text is not null)
            {
                writer.WriteString("text", media.Text);
            }

            writer.WriteString("leg", LegNames.Of(media.Leg));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("media");
        }

        if (hit.Snippet is null)
        {
            writer.WriteNull("snippet");
        }
        else
        {
            writer.WriteString("snippet", hit.Snippet);
        }

        writer.WriteStartObject("fields");
        foreach (var (name, value) in hit.Metadata)
        {
            if (value.Kind == FieldKind.Number)
            {
                writer.WriteNumber(name, value.NumberValue);
            }
            else
            {
                writer.WriteString(name, value.ToString());
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Lucene's explanation as nested <c>{"value","description","details":[..]}</c> objects.</summary>
    private static void WriteExplanation(Utf8JsonWriter writer, Lucene.Net.Search.Explanation explanation)
    {
        writer.WriteStartObject();
        writer.WriteNumber("value", explanation.Value);
        writer.WriteString("description", CliApplication.OneLine(explanation.Description));
        var details = explanation.GetDetails();
        if (details is { Length: > 0 })
        {
            writer.WriteStartArray("details");
            foreach (var detail in details)
            {
                WriteExplanation(writer, detail);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
