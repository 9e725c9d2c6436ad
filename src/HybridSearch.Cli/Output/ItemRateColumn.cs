using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HybridSearch.Cli.Output;

/// <summary>A progress column showing records per second (Spectre's transfer-speed column formats bytes).</summary>
internal sealed class ItemRateColumn : ProgressColumn
{
    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(task.Speed is { } speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:0.0} rec/s") : "– rec/s", new Style(Color.Grey));
}
