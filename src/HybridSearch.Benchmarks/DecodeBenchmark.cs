using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;

namespace HybridSearch.Benchmarks;

/// <summary>
/// <c>decode --manifest M.jsonl [--compare M2.jsonl] [--rounds 3]</c>: decodes every image the manifest names, one
/// thread, through the decoder the pipeline and the query path use (<see cref="BoundedImageDecoder"/>, which hands
/// DICOM files to the DICOM reader), and reports images per second (best of the rounds; the manifests' rounds are
/// interleaved so changing load affects both alike). With <c>--compare</c>, the same for a second manifest (e.g. the
/// same images as JPEG) and the ratio first/second. Prints one JSON line last:
/// <c>{"images","images_per_s","compare_images","compare_images_per_s","ratio"}</c>.
/// </summary>
internal static class DecodeBenchmark
{
    private static readonly Option<string> ManifestOption = BenchmarkOptions.ExistingFile("--manifest", "Manifest (.jsonl) naming the images.");
    private static readonly Option<string> CompareOption = BenchmarkOptions.ExistingFile("--compare", "A second manifest to compare with.", required: false);
    private static readonly Option<int> RoundsOption = BenchmarkOptions.Int("--rounds", 3, "Rounds (the best counts).", min: 1);

    public static Command CreateCommand()
    {
        var command = new Command("decode", "Images per second through the pipeline's image decoder, optionally against a second manifest.")
        {
            ManifestOption, CompareOption, RoundsOption,
        };
        command.SetAction((parse, _) => Task.Run(() => Run(parse)));
        return command;
    }

    public static void Run(ParseResult args)
    {
        var first = ImagePaths(args.GetRequiredValue(ManifestOption));
        var second = args.GetValue(CompareOption) is { } compare ? ImagePaths(compare) : null;
        var rounds = args.GetValue(RoundsOption);
        var decoder = new BoundedImageDecoder();
        double bestFirst = 0, bestSecond = 0;
        for (var round = 0; round < rounds; round++)
        {
            bestFirst = Math.Max(bestFirst, Rate(decoder, first));
            if (second is not null)
            {
                bestSecond = Math.Max(bestSecond, Rate(decoder, second));
            }
        }

        var result = new Dictionary<string, object>
        {
            ["images"] = first.Count,
            ["images_per_s"] = Math.Round(bestFirst, 1),
            ["rounds"] = rounds,
        };
        if (second is not null)
        {
            result["compare_images"] = second.Count;
            result["compare_images_per_s"] = Math.Round(bestSecond, 1);
            result["ratio"] = Math.Round(bestFirst / bestSecond, 3);
        }

        Console.WriteLine(JsonSerializer.Serialize(result));
    }

    private static double Rate(BoundedImageDecoder decoder, List<string> paths)
    {
        var failed = 0;
        var stopwatch = Stopwatch.StartNew();
        foreach (var path in paths)
        {
            try
            {
                using var image = decoder.Decode(path);
            }
            catch (MediaDecodeException)
            {
                failed++;
            }
        }

        stopwatch.Stop();
        if (failed > 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{failed} of {paths.Count} images failed to decode"));
        }

        return paths.Count / stopwatch.Elapsed.TotalSeconds;
    }

    private static List<string> ImagePaths(string manifest) => new ManifestReader(manifest).ReadItems()
        .SelectMany(item => item.Record?.Images ?? []).Select(image => image.Path).ToList();
}
