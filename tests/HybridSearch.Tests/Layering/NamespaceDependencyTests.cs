using HybridSearch.Cli.Demo;
using HybridSearch.Indexing;

namespace HybridSearch.Tests.Layering;

/// <summary>The library's layering (DESIGN.md's folder table, README's Architecture section): no cycle between the
/// top-level folders of <c>src/HybridSearch</c>, no dependency the table does not allow, and namespaces that follow
/// folders. Read from the compiled assembly's metadata, so a dependency cannot hide in a method body.</summary>
public sealed class NamespaceDependencyTests
{
    /// <summary>What each top-level folder may use besides itself and the root namespace (the exception base).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Vectors"] = [],
        ["Records"] = [],
        ["Fusion"] = [],
        ["Graph"] = ["Vectors"],
        ["Codecs"] = ["Vectors", "Graph"],
        ["Embedding"] = ["Vectors"],
        ["Indexing"] = ["Vectors", "Records", "Codecs"],
        // Ingestion declares the vector fields it writes (Codecs' VectorFieldOptions).
        ["Ingestion"] = ["Vectors", "Records", "Codecs", "Embedding", "Indexing"],
        // Querying decodes query images with Ingestion's bounded decoders (Ingestion.Media, Ingestion.Dicom).
        ["Querying"] = ["Vectors", "Records", "Graph", "Codecs", "Embedding", "Indexing", "Fusion", "Ingestion"],
        ["(root)"] = [],
    };

    private static readonly Lazy<IReadOnlyList<(string From, string FromType, string To, string ToType)>> FolderEdges = new(ReadFolderEdges);

    [Fact]
    public void TheTopLevelFoldersOfTheLibraryHaveNoDependencyCycle()
    {
        var graph = FolderEdges.Value
            .GroupBy(edge => edge.From)
            .ToDictionary(group => group.Key, group => group.Select(edge => edge.To).ToHashSet());
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, cycle is null ? "" : "namespace cycle: " + string.Join(" -> ", cycle) + Evidence(cycle));
    }

    [Fact]
    public void EveryFolderDependencyIsOneTheDesignTableAllows()
    {
        var forbidden = FolderEdges.Value
            .Where(edge => edge.To != "(root)" && !(Allowed.TryGetValue(edge.From, out var allowed) && allowed.Contains(edge.To)))
            .Select(edge => $"{edge.From} -> {edge.To} ({edge.FromType} uses {edge.ToType})")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Empty(forbidden);
    }

    [Fact]
    public void TheReaderSeesTheDependenciesThatAreKnownToExist()
    {
        // Guards the test above against a reader that finds nothing: these are real, documented dependencies.
        var pairs = FolderEdges.Value.Select(edge => (edge.From, edge.To)).ToHashSet();
        Assert.Contains(("Graph", "Vectors"), pairs);
        Assert.Contains(("Codecs", "Graph"), pairs);
        Assert.Contains(("Indexing", "Records"), pairs);
        Assert.Contains(("Querying", "Fusion"), pairs);
        Assert.Contains(("Ingestion", "Indexing"), pairs);
    }

    [Fact]
    public void CycleSearchFindsACycleWhenThereIsOne()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };
        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
        graph["C"] = [];
        Assert.Null(FindCycle(graph));
    }

    [Fact]
    public void EverySourceFileDeclaresTheNamespaceOfItsFolder()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(DemoDataLocator.FindShowcase())))!;
        var library = Path.Combine(root, "src", "HybridSearch");
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(library, file);
            if (relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(relative)!;
            var expected = "namespace HybridSearch" + (folder.Length == 0 ? "" : "." + folder.Replace(Path.DirectorySeparatorChar, '.')) + ";";
            var declared = File.ReadLines(file).FirstOrDefault(line => line.StartsWith("namespace ", StringComparison.Ordinal));
            if (declared is not null && declared != expected)
            {
                wrong.Add($"{relative}: '{declared}', expected '{expected}'");
            }
        }

        Assert.Empty(wrong);
    }

    private static IReadOnlyList<(string From, string FromType, string To, string ToType)> ReadFolderEdges() =>
        AssemblyDependencyReader.ReadNamespaceReferences(typeof(HybridIndex).Assembly.Location)
            .Select(edge => (From: FolderOf(edge.FromNamespace), edge.FromType, To: FolderOf(edge.ToNamespace), edge.ToType))
            .Where(edge => edge.From is not null && edge.To is not null && edge.From != edge.To)
            .Select(edge => (edge.From!, edge.FromType, edge.To!, edge.ToType))
            .ToList();

    /// <summary>The top-level folder of a library namespace; null for namespaces the compiler embeds (System.*).</summary>
    private static string? FolderOf(string ns)
    {
        if (ns == "HybridSearch")
        {
            return "(root)";
        }

        if (!ns.StartsWith("HybridSearch.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns["HybridSearch.".Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static string Evidence(IReadOnlyList<string> cycle)
    {
        var lines = new List<string>();
        for (var i = 0; i + 1 < cycle.Count; i++)
        {
            var edge = FolderEdges.Value.First(e => e.From == cycle[i] && e.To == cycle[i + 1]);
            lines.Add($"{edge.From} -> {edge.To}: {edge.FromType} uses {edge.ToType}");
        }

        return "\n" + string.Join("\n", lines);
    }

    /// <summary>A cycle as the list of its nodes (first repeated last), or null; nodes visited in ordinal order so the
    /// answer is deterministic.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var cycle = Visit(start);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2)
            {
                return null;
            }

            if (state.GetValueOrDefault(node) == 1)
            {
                return [.. path[path.IndexOf(node)..], node];
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                var cycle = Visit(next);
                if (cycle is not null)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }
}
