using System.Text.Json;

namespace HybridSearch.Tests.Embedding;

/// <summary>A temporary CLIP model folder with tiny ONNX graphs and a tiny byte-level BPE vocabulary.</summary>
internal sealed class TinyClipFolder : IDisposable
{
    public const int ImageSize = 32;
    public const int Context = 77;
    public const int Dimension = 4;

    /// <summary>Single characters (ids 0–6), the same with &lt;/w&gt; (7–13), merged tokens, then the specials.</summary>
    public static readonly string[] Vocabulary =
    [
        "a", "c", "t", "p", "h", "o", "!",
        "a</w>", "c</w>", "t</w>", "p</w>", "h</w>", "o</w>", "!</w>",
        "ca", "cat</w>", "ph", "pho", "phot", "photo</w>", "!!</w>",
        "<|startoftext|>", "<|endoftext|>",
    ];

    public static readonly string[] Merges = ["c a", "ca t</w>", "p h", "ph o", "pho t", "phot o</w>", "! !</w>"];

    public static readonly float[,] ImageWeights = { { 1f, 0f, 0f, 1f }, { 0f, 1f, 0f, 1f }, { 0f, 0f, 1f, -1f } };

    public static readonly float[,] TextWeights = CreateTextWeights();

    public TinyClipFolder(string name = "tiny-clip")
    {
        Root = Path.Combine(Path.GetTempPath(), "hs-clip-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, name);
        Directory.CreateDirectory(Folder);
    }

    public string Root { get; }

    public string Folder { get; }

    public TinyClipFolder WithSplitModels(string pixelInput = "pixel_values")
    {
        File.WriteAllBytes(Path.Combine(Folder, "vision_model.onnx"), TinyOnnxModelWriter.Vision(ImageWeights, ImageSize, pixelInput));
        File.WriteAllBytes(Path.Combine(Folder, "text_model.onnx"), TinyOnnxModelWriter.Text(TextWeights));
        return this;
    }

    public TinyClipFolder WithCombinedModel()
    {
        File.WriteAllBytes(Path.Combine(Folder, "model.onnx"), TinyOnnxModelWriter.Combined(ImageWeights, TextWeights, ImageSize));
        return this;
    }

    public TinyClipFolder WithVocabularyAndMerges()
    {
        var vocabulary = Vocabulary.Select((token, id) => (token, id)).ToDictionary(entry => entry.token, entry => entry.id);
        File.WriteAllText(Path.Combine(Folder, "vocab.json"), JsonSerializer.Serialize(vocabulary));
        File.WriteAllLines(Path.Combine(Folder, "merges.txt"), ["#version: 0.2", .. Merges]);
        return this;
    }

    public TinyClipFolder WithTokenizerJson()
    {
        var vocabulary = Vocabulary.Select((token, id) => (token, id)).ToDictionary(entry => entry.token, entry => entry.id);
        var document = new { version = "1.0", model = new { type = "BPE", vocab = vocabulary, merges = Merges.Select(merge => merge.Split(' ')).ToArray() } };
        File.WriteAllText(Path.Combine(Folder, "tokenizer.json"), JsonSerializer.Serialize(document));
        return this;
    }

    public void Delete(string file) => File.Delete(Path.Combine(Folder, file));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A still-mapped model file on some platforms; the temp folder is cleaned by the OS.
        }
    }

    private static float[,] CreateTextWeights()
    {
        var weights = new float[Context, Dimension];
        for (int i = 0; i < Context; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                weights[i, j] = ((i * 7 + j * 3) % 11 - 5) / 10f;
            }
        }

        return weights;
    }
}
