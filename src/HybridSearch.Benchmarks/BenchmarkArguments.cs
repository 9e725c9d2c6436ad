using System.Globalization;

namespace HybridSearch.Benchmarks;

/// <summary>The <c>--name value</c> options of a benchmark command, with typed accessors that name the bad option.</summary>
internal sealed class BenchmarkArguments
{
    // Switches that may stand alone (--force-merge); any other option needs a value.
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal) { "force-merge" };

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static BenchmarkArguments Parse(ReadOnlySpan<string> args)
    {
        var result = new BenchmarkArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
            {
                throw new BenchmarkArgumentException($"expected an option like --name, got '{name}'.");
            }

            var key = name[2..];
            var standsAlone = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (standsAlone && Switches.Contains(key))
            {
                result.Add(key, "true");
                continue;
            }

            if (standsAlone)
            {
                throw new BenchmarkArgumentException($"option {name} needs a value.");
            }

            result.Add(key, args[++i]);
        }

        return result;
    }

    private void Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>A switch: true when given alone or as <c>--name true</c>, false when absent or <c>--name false</c>.</summary>
    public bool Flag(string name) => Optional(name) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw new BenchmarkArgumentException($"--{name}: '{other}' is not true or false."),
    };

    /// <summary>One of <paramref name="choices"/>; <paramref name="fallback"/> when absent.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = Optional(name) ?? fallback;
        return choices.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new BenchmarkArgumentException($"--{name}: '{value}' is not one of {string.Join(", ", choices)}.");
    }

    public string? Optional(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    /// <summary>Every value of a repeatable option, in order; empty when absent.</summary>
    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public string Required(string name) => Optional(name) ?? throw new BenchmarkArgumentException($"missing required option --{name}.");

    public string RequiredFile(string name)
    {
        var path = Required(name);
        return File.Exists(path) ? path : throw new BenchmarkArgumentException($"--{name}: file '{path}' does not exist.");
    }

    public int Int(string name, int? fallback = null, int min = int.MinValue)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback ?? throw new BenchmarkArgumentException($"missing required option --{name}.");
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new BenchmarkArgumentException($"--{name}: '{text}' is not an integer >= {min}.");
        }

        return value;
    }

    public int[] IntList(string name, int min = 1)
    {
        var text = Required(name);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : throw new BenchmarkArgumentException($"--{name}: '{part}' is not an integer >= {min}."))
            .ToArray();
    }
}
