using System.Text.Json;
using HybridSearch.Cli.Querying;

namespace HybridSearch.Cli.Demo;

/// <summary>Reads <c>showcase.json</c>; paths in it are relative to its folder. Errors name the file and the query.</summary>
internal static class ShowcaseReader
{
    /// <summary>Reads the showcase file.</summary>
    /// <exception cref="CliUserException">The file is missing or malformed.</exception>
    public static Showcase Read(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliUserException($"showcase file '{path}' does not exist.");
        }

        var folder = System.IO.Path.GetDirectoryName(full)!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(full));
        }
        catch (JsonException exception)
        {
            throw new CliUserException($"{full}: malformed JSON: {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var manifest = GetString(root, "manifest", full) ?? "manifest.jsonl";
            if (!root.TryGetProperty("queries", out var queriesElement) || queriesElement.ValueKind != JsonValueKind.Array)
            {
                throw new CliUserException($"{full}: missing the \"queries\" list.");
            }

            var queries = new List<ShowcaseQuery>();
            var position = 0;
            foreach (var element in queriesElement.EnumerateArray())
            {
                position++;
                queries.Add(ReadQuery(element, $"{full}: query {position}", folder));
            }

            return new Showcase(full, System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, manifest)), queries);
        }
    }

    private static ShowcaseQuery ReadQuery(JsonElement element, string where, string folder)
    {
        var name = GetString(element, "name", where) ?? throw new CliUserException($"{where}: missing \"name\".");
        where = $"{where} ('{name}')";
        var images = new List<string>();
        if (element.TryGetProperty("images", out var imagesElement))
        {
            foreach (var image in imagesElement.EnumerateArray())
            {
                images.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, image.GetString() ?? throw new CliUserException($"{where}: an image path is not a string."))));
            }
        }

        var filters = element.TryGetProperty("filters", out var filtersElement)
            ? JsonFilterReader.ReadList(filtersElement, where)
            : [];
        var expected = new List<string>();
        if (element.TryGetProperty("expected", out var expectedElement))
        {
            foreach (var id in expectedElement.EnumerateArray())
            {
                expected.Add(id.GetString() ?? throw new CliUserException($"{where}: an expected id is not a string."));
            }
        }

        var within = element.TryGetProperty("expectedWithinTop", out var withinElement) && withinElement.TryGetInt32(out var top) && top > 0
            ? top
            : Math.Max(1, expected.Count);
        var exactly = element.TryGetProperty("expectedExactly", out var exactlyElement) && exactlyElement.ValueKind == JsonValueKind.True;
        ShowcaseExpectedTime? time = null;
        if (element.TryGetProperty("expectedTime", out var timeElement) && timeElement.ValueKind == JsonValueKind.Object)
        {
            time = new ShowcaseExpectedTime(
                GetString(timeElement, "id", where) ?? string.Empty,
                GetString(timeElement, "audio", where) ?? string.Empty,
                timeElement.GetProperty("start").GetDouble(),
                timeElement.GetProperty("end").GetDouble(),
                GetString(timeElement, "says", where) ?? string.Empty);
        }

        return new ShowcaseQuery(
            name,
            GetString(element, "demonstrates", where) ?? string.Empty,
            GetString(element, "text", where),
            images,
            filters,
            expected,
            within,
            exactly,
            time);
    }

    private static string? GetString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new CliUserException($"{where}: \"{name}\" must be a string.");
    }
}
