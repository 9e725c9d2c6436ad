namespace HybridSearch.Indexing;

/// <summary>The outcome of <see cref="HybridIndex.Check"/>: what was checked and every problem found.</summary>
public sealed class IndexCheckReport
{
    /// <summary>Creates the report.</summary>
    public IndexCheckReport(string indexDirectory, int filesChecked, int segments, int documents, int records, IReadOnlyList<IndexCheckProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(indexDirectory);
        ArgumentNullException.ThrowIfNull(problems);
        IndexDirectory = indexDirectory;
        FilesChecked = filesChecked;
        Segments = segments;
        Documents = documents;
        Records = records;
        Problems = problems;
    }

    /// <summary>The index directory.</summary>
    public string IndexDirectory { get; }

    /// <summary>Files of the current commit whose checksums were verified.</summary>
    public int FilesChecked { get; }

    /// <summary>Lucene segments in the current commit.</summary>
    public int Segments { get; }

    /// <summary>Live documents read (records and their children); 0 when the files were already found damaged.</summary>
    public int Documents { get; }

    /// <summary>Live records read; 0 when the files were already found damaged.</summary>
    public int Records { get; }

    /// <summary>Everything wrong, files first; empty when the index is clean.</summary>
    public IReadOnlyList<IndexCheckProblem> Problems { get; }

    /// <summary>True when nothing is wrong.</summary>
    public bool IsClean => Problems.Count == 0;

    /// <summary>The damaged files, each once.</summary>
    public IReadOnlyList<string> DamagedFiles => Problems.Where(p => p.File is not null).Select(p => p.File!).Distinct(StringComparer.Ordinal).ToList();
}
