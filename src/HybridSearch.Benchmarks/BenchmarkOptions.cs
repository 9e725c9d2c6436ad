using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace HybridSearch.Benchmarks;

/// <summary>
/// Makes the benchmark commands' options (System.CommandLine) with the house contract: <c>--name value</c>, integers
/// with a lower bound, comma lists (<c>--ef 10,20,40</c>), choices, and files that must exist. A bad value is a parse
/// error that names the option and the value, so it fails before any work starts.
/// </summary>
internal static class BenchmarkOptions
{
    /// <summary>A text option; <paramref name="required"/> makes it mandatory.</summary>
    public static Option<string> Text(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    /// <summary>A repeatable text option (<c>--name a --name b</c>); empty when absent.</summary>
    public static Option<string[]> Repeated(string name, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => [] };

    /// <summary>The path of a file that must exist when the option is given.</summary>
    public static Option<string> ExistingFile(string name, string description, bool required = true)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !File.Exists(result.Tokens[^1].Value))
            {
                result.AddError($"{name}: file '{result.Tokens[^1].Value}' does not exist.");
            }
        });
        return option;
    }

    /// <summary>An integer of at least <paramref name="min"/>, <paramref name="fallback"/> when absent.</summary>
    public static Option<int> Int(string name, int fallback, string description, int min = int.MinValue) => new(name)
    {
        Description = $"{description} (default {fallback.ToString(CultureInfo.InvariantCulture)})",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => result.Tokens.Count == 0 ? fallback : ParseInt(result, name, min) ?? fallback,
    };

    /// <summary>An integer of at least <paramref name="min"/>, null when absent (the command works out the default).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue) => new(name)
    {
        Description = description,
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseInt(result, name, min),
    };

    /// <summary>A comma list of integers of at least <paramref name="min"/> (<c>--ef 10,20,40</c>); empty when absent.</summary>
    public static Option<int[]> IntList(string name, string description, bool required, int min = 1) => new(name)
    {
        Description = description,
        Required = required,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var values = new List<int>();
            if (result.Tokens.Count == 0)
            {
                return [];
            }

            foreach (var part in result.Tokens[^1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
                {
                    result.AddError($"{name}: '{part}' is not an integer >= {min}.");
                    return [];
                }

                values.Add(value);
            }

            return [.. values];
        },
    };

    /// <summary>A number in invariant notation (<c>0.5</c>), null when absent.</summary>
    public static Option<float?> OptionalFloat(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            var text = result.Tokens[^1].Value;
            if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a number.");
            return null;
        },
    };

    /// <summary>One of <paramref name="choices"/>, <paramref name="fallback"/> when absent.</summary>
    public static Option<string> Choice(string name, string fallback, string description, params string[] choices) => new(name)
    {
        Description = $"{description} ({string.Join('|', choices)}; default {fallback})",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return fallback;
            }

            var value = result.Tokens[^1].Value;
            if (choices.Contains(value, StringComparer.Ordinal))
            {
                return value;
            }

            result.AddError($"{name}: '{value}' is not one of {string.Join(", ", choices)}.");
            return fallback;
        },
    };

    /// <summary>A switch: true when given alone or as <c>--name true</c>, false when absent or <c>--name false</c>.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static int? ParseInt(ArgumentResult result, string name, int min)
    {
        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        result.AddError(min == int.MinValue ? $"{name}: '{text}' is not an integer." : $"{name}: '{text}' is not an integer >= {min}.");
        return null;
    }
}
