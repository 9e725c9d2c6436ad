using System.Globalization;

namespace HybridSearch.Benchmarks;

/// <summary>The <c>--name value</c> options of a benchmark command, with typed accessors that name the bad option.</summary>
internal sealed class BenchmarkArguments
{
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

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new BenchmarkArgumentException($"option {name} needs a value.");
            }

            var key = name[2..];
            if (!result._values.TryGetValue(key, out var list))
            {
                result._values[key] = list = [];
            }

            list.Add(args[++i]);
        }

        return result;
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
