using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridSearch.Tests.Cli;

/// <summary>A small corpus (text records with typed fields, two images drawn in code) indexed once through
/// <c>hybridsearch index</c> with the default models, shared by the tests that read it.</summary>
public sealed class CliIndexFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    /// <summary>The corpus folder (manifest, images, batch files).</summary>
    public string CorpusFolder => _temp.Combine("corpus");

    /// <summary>The index built from the corpus.</summary>
    public string IndexPath => _temp.Combine("index");

    /// <summary>The run of the index command.</summary>
    public CliRun IndexRun { get; private set; } = null!;

    /// <summary>Creates a fresh copy of the index (for tests that change it).</summary>
    public string CopyIndex(TempDirectory into)
    {
        var target = into.Combine("index-copy");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(IndexPath))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(CorpusFolder, "img"));
        SolidImage(Path.Combine(CorpusFolder, "img", "red.png"), new Rgb24(220, 20, 20));
        SolidImage(Path.Combine(CorpusFolder, "img", "blue.png"), new Rgb24(20, 20, 220));
        File.WriteAllLines(Path.Combine(CorpusFolder, "manifest.jsonl"),
        [
            """{"id":"doc-lighthouse","title":"How a lighthouse guides ships","text":"A Fresnel lens bends the lamp's light into a beam seen far out at sea.","fields":{"kind":"article","year":2021,"published":"2021-05-01"}}""",
            """{"id":"doc-bread","title":"Banana bread","text":"Mash ripe bananas, fold in flour and bake for fifty minutes.","fields":{"kind":"recipe","year":2023,"published":"2023-02-10"}}""",
            """{"id":"doc-volcano","title":"How volcanoes erupt","text":"Magma rises through the crust until the pressure breaks the rock.","fields":{"kind":"article","year":2024,"published":"2024-07-19"}}""",
            """{"id":"img-red","title":"Red square","text":"A plain red square.","fields":{"kind":"picture","year":2024},"images":[{"path":"img/red.png","caption":"red square"}]}""",
            """{"id":"img-blue","title":"Blue square","text":"A plain blue square.","fields":{"kind":"picture","year":2020},"images":[{"path":"img/blue.png","caption":"blue square"}]}""",
        ]);
        IndexRun = await CliRun.RunAsync("index", "--index", IndexPath, "--manifest", Path.Combine(CorpusFolder, "manifest.jsonl"));
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private static void SolidImage(string path, Rgb24 colour)
    {
        using var image = new Image<Rgb24>(64, 64, colour);
        image.SaveAsPng(path);
    }
}
