using System.CommandLine;
using HybridSearch.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace HybridSearch.Cli.Commands;

/// <summary>Options shared by several commands, and the check that an index exists before a command opens it (so a
/// typo in <c>--index</c> never creates an empty index).</summary>
internal static class CommonOptions
{
    /// <summary>The required <c>--index DIR</c> option.</summary>
    public static Option<string> Index(string description = "The index directory.") => new("--index", "-i")
    {
        Description = description,
        Required = true,
        HelpName = "DIR",
    };

    /// <summary>The <c>--json</c> switch.</summary>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary>Adds a validator keeping <paramref name="option"/>'s value within [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static void AddRangeValidator(Option<int> option, int minimum, int maximum) => option.Validators.Add(result =>
    {
        // A token that is not a number already has System.CommandLine's conversion error; reading it would throw.
        if (result.Tokens.Count > 0 && !int.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return;
        }

        var value = result.GetValueOrDefault<int>();
        if (value < minimum || value > maximum)
        {
            result.AddError($"{option.Name} must be from {minimum} to {maximum}, got {value}.");
        }
    });

    /// <summary>Throws a <see cref="CliUserException"/> unless <paramref name="path"/> holds a Lucene index.</summary>
    public static string RequireExistingIndex(string path)
    {
        var full = Path.GetFullPath(path);
        if (!System.IO.Directory.Exists(full))
        {
            throw new CliUserException($"no index at '{path}': the directory does not exist (create one with 'hybridsearch index').");
        }

        HybridCodec.Register();
        using var directory = FSDirectory.Open(full);
        if (!DirectoryReader.IndexExists(directory))
        {
            throw new CliUserException($"no index at '{path}': the directory holds no HybridSearch index (create one with 'hybridsearch index').");
        }

        return full;
    }
}
