using System.Text.Json;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Cli.Querying;

/// <summary>
/// Reads a batch of queries, one JSON object a line:
/// <c>{"id":"q1","text":"...","images":["path"],"filters":{"modality":"CT"},"top":10,"offset":0}</c>.
/// Image paths are relative to the file's folder. The whole file is validated before any query runs, so a typo on
/// line 900 is reported before 899 queries were spent; the error names the file and line.
/// </summary>
internal static class BatchQueryReader
{
    private static readonly HashSet<string> KnownProperties = new(StringComparer.Ordinal) { "id", "text", "images", "filters", "top", "offset" };

    /// <summary>Reads and validates every line of <paramref name="path"/>.</summary>
    /// <exception cref="CliUserException">The file is missing or a line is invalid.</exception>
    public static List<BatchQuery> Read(string path) => Read(path, judged: false);

    /// <summary>Reads and validates every line of <paramref name="path"/>; with <paramref name="judged"/>, each line must
    /// also carry <c>"relevant": ["record id", ...]</c> (a non-empty list), read into <see cref="BatchQuery.Relevant"/>.</summary>
    /// <exception cref="CliUserException">The file is missing or a line is invalid.</exception>
    public static List<BatchQuery> Read(string path, bool judged)
    {
        var kind = FileKinds.Of(path);
        if (kind != FileKind.RegularFile)
        {
            throw new CliUserException(kind == FileKind.Missing
                ? $"queries file '{path}' does not exist."
                : $"queries file '{path}' is {FileKinds.Describe(kind)}, not a regular file.");
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var queries = new List<BatchQuery>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var where = $"{path}:{lineNumber}";
            var query = ParseLine(line, where, lineNumber, baseDirectory, judged);
            if (!ids.Add(query.Id))
            {
                throw new CliUserException($"{where}: duplicate query id '{query.Id}'.");
            }

            queries.Add(query);
        }

        if (queries.Count == 0)
        {
            throw new CliUserException($"queries file '{path}' holds no query.");
        }

        return queries;
    }

    private static BatchQuery ParseLine(string line, string where, int lineNumber, string baseDirectory, bool judged)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException exception)
        {
            throw new CliUserException($"{where}: malformed JSON: {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliUserException($"{where}: a query must be a JSON object, found {root.ValueKind}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!KnownProperties.Contains(property.Name) && !(judged && property.Name == "relevant"))
                {
                    throw new CliUserException($"{where}: unknown property '{property.Name}' (expected id, text, images, filters, top, offset{(judged ? ", relevant" : string.Empty)}).");
                }
            }

            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(idElement.GetString()) => idElement.GetString()!,
                JsonValueKind.Number => idElement.GetRawText(),
                _ => throw new CliUserException($"{where}: \"id\" must be a non-blank string."),
            } : throw new CliUserException($"{where}: missing \"id\".");

            string? text = null;
            if (root.TryGetProperty("text", out var textElement) && textElement.ValueKind != JsonValueKind.Null)
            {
                text = textElement.ValueKind == JsonValueKind.String
                    ? textElement.GetString()
                    : throw new CliUserException($"{where}: \"text\" must be a string.");
            }

            var images = new List<string>();
            if (root.TryGetProperty("images", out var imagesElement) && imagesElement.ValueKind != JsonValueKind.Null)
            {
                if (imagesElement.ValueKind != JsonValueKind.Array)
                {
                    throw new CliUserException($"{where}: \"images\" must be a list of paths.");
                }

                foreach (var image in imagesElement.EnumerateArray())
                {
                    if (image.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(image.GetString()))
                    {
                        throw new CliUserException($"{where}: every image must be a non-blank path string.");
                    }

                    // Query files are the searcher's own input, not data being indexed: their image paths are not
                    // confined to the file's folder (a query image only becomes a vector, nothing of it is stored or
                    // shown), but only a regular file is opened.
                    var full = Path.GetFullPath(Path.Combine(baseDirectory, image.GetString()!));
                    var imageKind = FileKinds.Of(full);
                    if (imageKind != FileKind.RegularFile)
                    {
                        throw new CliUserException(imageKind == FileKind.Missing
                            ? $"{where}: query image '{image.GetString()}' does not exist (looked for '{full}')."
                            : $"{where}: query image '{image.GetString()}' is {FileKinds.Describe(imageKind)}, not a regular file (looked at '{full}').");
                    }

                    images.Add(full);
                }
            }

            if (string.IsNullOrWhiteSpace(text) && images.Count == 0)
            {
                throw new CliUserException($"{where}: query '{id}' has neither \"text\" nor \"images\".");
            }

            var filters = root.TryGetProperty("filters", out var filtersElement) && filtersElement.ValueKind != JsonValueKind.Null
                ? JsonFilterReader.ReadObject(filtersElement, where)
                : [];
            List<string>? relevant = null;
            if (judged)
            {
                if (!root.TryGetProperty("relevant", out var relevantElement) || relevantElement.ValueKind != JsonValueKind.Array
                    || relevantElement.GetArrayLength() == 0
                    || relevantElement.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(r.GetString())))
                {
                    throw new CliUserException($"{where}: a judged query needs \"relevant\": a non-empty list of record id strings.");
                }

                relevant = relevantElement.EnumerateArray().Select(r => r.GetString()!).Distinct(StringComparer.Ordinal).ToList();
            }

            return new BatchQuery(id, lineNumber, text, images, filters, ReadCount(root, "top", where, 1), ReadCount(root, "offset", where, 0)) { Relevant = relevant };
        }
    }

    private static int? ReadCount(JsonElement root, string name, string where, int minimum)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || value < minimum || value > SearchLimits.MaxPageEnd)
        {
            throw new CliUserException($"{where}: \"{name}\" must be a whole number from {minimum} to {SearchLimits.MaxPageEnd}, found {element.GetRawText()}.");
        }

        return value;
    }
}
