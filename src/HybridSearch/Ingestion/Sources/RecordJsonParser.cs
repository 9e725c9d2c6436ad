using System.Globalization;
using System.Text.Json;
using HybridSearch.Ingestion.Media;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Sources;

/// <summary>
/// Turns one record object of the manifest schema into a <see cref="Record"/>:
/// <c>{"id","title","text","fields":{..},"images":[path | {"path","caption","metadata"}],"audio":[path | {"path","transcript"}]}</c>.
/// Paths are resolved against a base directory. Problems are reported as <see cref="RecordFormatError"/> with a
/// reason; the caller adds the file and line.
/// </summary>
internal static class RecordJsonParser
{
    private static readonly string[] IsoDateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static JsonDocument ParseDocument(string json) => JsonDocument.Parse(json, DocumentOptions);

    /// <param name="root">The record object.</param>
    /// <param name="baseDirectory">Directory that relative paths are resolved against.</param>
    /// <param name="defaultId">Id used when the object has none (folder JSON files); null makes the id required.</param>
    /// <param name="requireFiles">Whether referenced files must exist.</param>
    /// <param name="confinement">Where referenced files may resolve to.</param>
    public static Record Parse(JsonElement root, string baseDirectory, string? defaultId, bool requireFiles, PathConfinement confinement)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RecordFormatError($"expected a JSON object, found {root.ValueKind}");
        }

        string? id = null, title = null, text = null;
        IReadOnlyDictionary<string, FieldValue>? fields = null;
        List<RecordImage>? images = null;
        List<RecordAudio>? audio = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new RecordFormatError($"property '{property.Name}' appears twice");
            }

            switch (property.Name)
            {
                case "id":
                    id = ReadString(property.Value, "id");
                    break;
                case "title":
                    title = ReadOptionalString(property.Value, "title");
                    break;
                case "text":
                    text = ReadOptionalString(property.Value, "text");
                    break;
                case "fields":
                    fields = ParseFields(property.Value, "fields");
                    break;
                case "images":
                    images = ParseImages(property.Value, new PathRules(baseDirectory, requireFiles, confinement));
                    break;
                case "audio":
                    audio = ParseAudio(property.Value, new PathRules(baseDirectory, requireFiles, confinement));
                    break;
                default:
                    throw new RecordFormatError($"unknown property '{property.Name}' (expected id, title, text, fields, images, audio)");
            }
        }

        id ??= defaultId;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new RecordFormatError(id is null ? "missing 'id'" : "'id' is blank");
        }

        try
        {
            return new Record(id, title, text, fields, images, audio);
        }
        catch (ArgumentException exception)
        {
            throw new RecordFormatError(exception.Message);
        }
    }

    /// <summary>Parses an object of typed fields: numbers, ISO-8601 dates, keywords, booleans as keywords.</summary>
    public static IReadOnlyDictionary<string, FieldValue> ParseFields(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new RecordFormatError($"'{what}' must be an object, found {element.ValueKind}");
        }

        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (fields.ContainsKey(property.Name))
            {
                throw new RecordFormatError($"field '{property.Name}' appears twice in '{what}'");
            }

            fields[property.Name] = ParseFieldValue(property.Value, $"{what}.{property.Name}");
        }

        return fields;
    }

    /// <summary>Maps a JSON value to a typed field value.</summary>
    public static FieldValue ParseFieldValue(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetDouble(out var number) && double.IsFinite(number)
            ? FieldValue.Number(number)
            : throw new RecordFormatError($"field '{name}' has a number out of range: {value.GetRawText()}"),
        JsonValueKind.String => ParseStringField(value.GetString()!),
        JsonValueKind.True => FieldValue.Keyword("true"),
        JsonValueKind.False => FieldValue.Keyword("false"),
        JsonValueKind.Null => throw new RecordFormatError($"field '{name}' is null"),
        _ => throw new RecordFormatError($"field '{name}' is an {value.ValueKind.ToString().ToLowerInvariant()}; only strings, numbers and booleans are allowed"),
    };

    /// <summary>An ISO-8601 date or date-time string becomes a date (UTC when no offset is given); any other
    /// string a keyword.</summary>
    public static FieldValue ParseStringField(string text)
    {
        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-'
            && DateTimeOffset.TryParseExact(text, IsoDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return FieldValue.Date(date);
        }

        return FieldValue.Keyword(text);
    }

    private static List<RecordImage> ParseImages(JsonElement element, PathRules rules)
    {
        var images = new List<RecordImage>();
        foreach (var (entry, index) in EnumerateArray(element, "images"))
        {
            string? path = null, caption = null;
            IReadOnlyDictionary<string, FieldValue>? metadata = null;
            if (entry.ValueKind == JsonValueKind.String)
            {
                path = entry.GetString();
            }
            else if (entry.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in entry.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "path": path = ReadString(property.Value, $"images[{index}].path"); break;
                        case "caption": caption = ReadOptionalString(property.Value, $"images[{index}].caption"); break;
                        case "metadata": metadata = ParseFields(property.Value, $"images[{index}].metadata"); break;
                        default: throw new RecordFormatError($"unknown property 'images[{index}].{property.Name}' (expected path, caption, metadata)");
                    }
                }
            }
            else
            {
                throw new RecordFormatError($"'images[{index}]' must be a path string or an object, found {entry.ValueKind}");
            }

            images.Add(new RecordImage(ResolvePath(path, $"images[{index}]", rules), caption, metadata));
        }

        return images;
    }

    private static List<RecordAudio> ParseAudio(JsonElement element, PathRules rules)
    {
        var clips = new List<RecordAudio>();
        foreach (var (entry, index) in EnumerateArray(element, "audio"))
        {
            string? path = null, transcript = null;
            if (entry.ValueKind == JsonValueKind.String)
            {
                path = entry.GetString();
            }
            else if (entry.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in entry.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "path": path = ReadString(property.Value, $"audio[{index}].path"); break;
                        case "transcript": transcript = ReadOptionalString(property.Value, $"audio[{index}].transcript"); break;
                        default: throw new RecordFormatError($"unknown property 'audio[{index}].{property.Name}' (expected path, transcript)");
                    }
                }
            }
            else
            {
                throw new RecordFormatError($"'audio[{index}]' must be a path string or an object, found {entry.ValueKind}");
            }

            var resolved = ResolvePath(path, $"audio[{index}]", rules);
            var transcriptPath = transcript is null ? null : ResolvePath(transcript, $"audio[{index}].transcript", rules);
            clips.Add(new RecordAudio(resolved, transcriptPath));
        }

        return clips;
    }

    private static IEnumerable<(JsonElement Entry, int Index)> EnumerateArray(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new RecordFormatError($"'{what}' must be an array, found {element.ValueKind}");
        }

        var index = 0;
        foreach (var entry in element.EnumerateArray())
        {
            yield return (entry, index++);
        }
    }

    private static string ResolvePath(string? path, string what, PathRules rules)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RecordFormatError($"'{what}' has no path");
        }

        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(rules.BaseDirectory, path));
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RecordFormatError($"'{what}' path '{path}' is invalid: {exception.Message}");
        }

        // Where the path leads is checked before whether anything is there, so an error says nothing about files
        // outside the folder.
        if (rules.Confinement.Check(full) is { } outside)
        {
            var resolved = string.Equals(full, path, StringComparison.Ordinal) ? string.Empty : $" (resolved to '{full}')";
            throw new RecordFormatError($"'{what}' path '{path}'{resolved} {outside}");
        }

        var kind = FileKinds.Of(full);
        switch (kind)
        {
            case FileKind.RegularFile:
                return full;
            case FileKind.Missing when rules.RequireFiles:
                throw new RecordFormatError($"'{what}' file '{path}' not found (resolved to '{full}')");
            case FileKind.Missing:
                return full;
            default:
                // Never a usable file, required or not: a directory cannot be decoded and a FIFO would block the reader.
                throw new RecordFormatError($"'{what}' path '{path}' is {FileKinds.Describe(kind)}, not a file (resolved to '{full}')");
        }
    }

    /// <summary>How a record's file paths are resolved and checked.</summary>
    private sealed record PathRules(string BaseDirectory, bool RequireFiles, PathConfinement Confinement);

    private static string ReadString(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordFormatError($"'{what}' must be a string, found {value.ValueKind}");

    private static string? ReadOptionalString(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.Null ? null : ReadString(value, what);
}
