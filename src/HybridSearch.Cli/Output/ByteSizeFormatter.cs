using System.Globalization;

namespace HybridSearch.Cli.Output;

/// <summary>Formats byte counts for people (KiB, MiB, GiB; invariant culture so output is the same everywhere).</summary>
internal static class ByteSizeFormatter
{
    /// <summary>Formats <paramref name="bytes"/>, e.g. <c>1.5 MiB</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
