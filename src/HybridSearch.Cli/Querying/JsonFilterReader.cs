using System.Globalization;
using System.Text.Json;

namespace HybridSearch.Cli.Querying;

/// <summary>Reads filters written in JSON, in the two shapes the command line accepts: a batch query's object
/// (<c>{"modality":"CT","age":{"min":60},"city":["A","B"]}</c>) and the showcase's list
/// (<c>[{"field":"kind","equals":"article"},{"field":"published","min":"2024-01-01"}]</c>).</summary>
internal static class JsonFilterReader
{
    /// <summary>Reads a filter object: a string or number means equals, an array of them means any of them, an
    /// object with <c>min</c> and/or <c>max</c> means an inclusive range.</summary>
    /// <param name="element">The object.</param>
    /// <param name="where">Where it is, for errors (e.g. <c>queries.jsonl:3</c>).</param>
    public static List<FilterCondition> ReadObject(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CliUserException($"{where}: \"filters\" must be an object like {{\"modality\":\"CT\",\"age\":{{\"min\":60}}}}, found {element.ValueKind}.");
        }

        var conditions = new List<FilterCondition>();
        foreach (var property in element.EnumerateObject())
        {
            var field = property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        conditions.Add(new FilterCondition(field, FilterOperator.Equals, Scalar(item, $"{where}: filter '{field}'")));
                    }

                    break;
                case JsonValueKind.Object:
                    conditions.AddRange(ReadRange(field, value, $"{where}: filter '{field}'", allowEquals: false));
                    break;
                default:
                    conditions.Add(new FilterCondition(field, FilterOperator.Equals, Scalar(value, $"{where}: filter '{field}'")));
                    break;
            }
        }

        return conditions;
    }

    /// <summary>Reads a list of <c>{"field":..,"equals":..}</c> / <c>{"field":..,"min":..,"max":..}</c> objects.</summary>
    public static List<FilterCondition> ReadList(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new CliUserException($"{where}: \"filters\" must be a list of {{\"field\":..,\"equals\":..}} or {{\"field\":..,\"min\":..,\"max\":..}}, found {element.ValueKind}.");
        }

        var conditions = new List<FilterCondition>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("field", out var fieldElement) || fieldElement.ValueKind != JsonValueKind.String)
            {
                throw new CliUserException($"{where}: every filter needs a \"field\" string.");
            }

            var field = fieldElement.GetString()!;
            conditions.AddRange(ReadRange(field, item, $"{where}: filter '{field}'", allowEquals: true));
        }

        return conditions;
    }

    private static IEnumerable<FilterCondition> ReadRange(string field, JsonElement element, string where, bool allowEquals)
    {
        var any = false;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "field" when allowEquals:
                    continue;
                case "equals" when allowEquals:
                    any = true;
                    yield return new FilterCondition(field, FilterOperator.Equals, Scalar(property.Value, where));
                    break;
                case "min":
                    any = true;
                    yield return new FilterCondition(field, FilterOperator.AtLeast, Scalar(property.Value, where));
                    break;
                case "max":
                    any = true;
                    yield return new FilterCondition(field, FilterOperator.AtMost, Scalar(property.Value, where));
                    break;
                default:
                    throw new CliUserException($"{where}: unknown property '{property.Name}' (expected {(allowEquals ? "equals, min, max" : "min, max")}).");
            }
        }

        if (!any)
        {
            throw new CliUserException($"{where}: no condition (expected {(allowEquals ? "equals, min or max" : "min or max")}).");
        }
    }

    private static string Scalar(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => throw new CliUserException($"{where}: a value must be a string or a number, found {value.ValueKind}."),
    };
}
