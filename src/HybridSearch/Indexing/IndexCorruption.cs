using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Directory = Lucene.Net.Store.Directory;

namespace HybridSearch.Indexing;

/// <summary>
/// Turns what a damaged index makes Lucene (or our vectors format) throw into an <see cref="IndexCorruptException"/>
/// naming the damaged files. Lucene names the file in its <see cref="CorruptIndexException"/>s, but a flipped byte in
/// the middle of a large file is only noticed when it is decoded, as an <see cref="ArgumentOutOfRangeException"/> or
/// an <see cref="EndOfStreamException"/> naming nothing; so on any such symptom every file of the current commit is
/// verified against its checksum footer, and the files that fail are named. A symptom with clean files is not called
/// corruption (it is a bug and stays one), except for the exceptions that only a damaged index throws.
/// </summary>
internal static class IndexCorruption
{
    /// <summary>The corruption <paramref name="exception"/> reveals, or null when it does not reveal one.</summary>
    public static IndexCorruptException? Translate(string indexPath, Directory directory, Exception exception)
    {
        if (exception is HybridSearchException or OperationCanceledException || !IsSymptom(exception))
        {
            return null;
        }

        IReadOnlyList<IndexCheckProblem> damaged;
        try
        {
            damaged = VerifyChecksums(directory);
        }
        catch (Exception verifyError) when (IsSymptom(verifyError))
        {
            damaged = [];
        }

        if (damaged.Count > 0)
        {
            var files = damaged.Select(problem => problem.File!).ToList();
            return new IndexCorruptException(indexPath, files, string.Join("; ", damaged.Select(problem => problem.Reason)), exception);
        }

        if (exception is CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException)
        {
            return new IndexCorruptException(indexPath, FilesNamedIn(exception.Message, directory), Describe(exception), exception);
        }

        // A missing or short file is the index's only when it is one of the index's files (not, say, a query image).
        if (exception is EndOfStreamException or FileNotFoundException
            && (exception.Message.Contains(Path.GetFullPath(indexPath), StringComparison.Ordinal) || exception is FileNotFoundException { FileName: { } missing } && Path.GetDirectoryName(Path.GetFullPath(missing)) == Path.GetFullPath(indexPath).TrimEnd(Path.DirectorySeparatorChar)))
        {
            return new IndexCorruptException(indexPath, FilesNamedIn(exception.Message, directory), Describe(exception), exception);
        }

        return null;
    }

    /// <summary>What reading a damaged file can throw.</summary>
    internal static bool IsSymptom(Exception exception) => exception
        is IOException
        or ArgumentException
        or IndexOutOfRangeException
        or OverflowException
        or InvalidCastException
        or FormatException
        or InvalidOperationException
        or Lucene.Net.Diagnostics.AssertionException; // Lucene's "impossible" states (e.g. an unknown stored-field type flag) are what garbage bytes produce

    /// <summary>Checks every file of the index's current commit against its checksum footer (reading each file
    /// once); returns one problem per damaged or missing file.</summary>
    internal static IReadOnlyList<IndexCheckProblem> VerifyChecksums(Directory directory)
    {
        var problems = new List<IndexCheckProblem>();
        var infos = new SegmentInfos();
        string segmentsFile = SegmentInfos.GetLastCommitSegmentsFileName(directory) ?? "segments_N";
        try
        {
            infos.Read(directory);
        }
        catch (Exception exception) when (IsSymptom(exception))
        {
            // Reading the commit reads every segment's .si too: checksum every index file to say which one is bad.
            var reason = $"the commit point cannot be read: {Describe(exception)}";
            var indexFiles = directory.ListAll().Where(name => name.StartsWith('_') || name.StartsWith(IndexFileNames.SEGMENTS, StringComparison.Ordinal));
            problems.AddRange(VerifyFiles(directory, indexFiles).Select(problem => problem with { Reason = $"{problem.Reason} ({reason})" }));
            if (problems.Count == 0)
            {
                problems.Add(new IndexCheckProblem(segmentsFile, reason));
            }

            return problems;
        }

        return VerifyFiles(directory, infos.GetFiles(directory, true));
    }

    private static List<IndexCheckProblem> VerifyFiles(Directory directory, IEnumerable<string> files)
    {
        var problems = new List<IndexCheckProblem>();
        foreach (var file in files.OrderBy(name => name, StringComparer.Ordinal))
        {
            try
            {
                using var input = directory.OpenInput(file, IOContext.READ_ONCE);
                CodecUtil.ChecksumEntireFile(input);
            }
            catch (Exception exception) when (IsSymptom(exception))
            {
                problems.Add(new IndexCheckProblem(file, Describe(exception)));
            }
        }

        return problems;
    }

    /// <summary>The exception's type and message, in one line.</summary>
    internal static string Describe(Exception exception) =>
        exception is FileNotFoundException ? $"missing file: {exception.Message}" : $"{exception.GetType().Name}: {exception.Message}";

    /// <summary>Files of the index that <paramref name="message"/> mentions (Lucene names them in resource
    /// descriptions such as <c>MMapIndexInput(path="/idx/_3.fdt")</c>).</summary>
    private static List<string> FilesNamedIn(string message, Directory directory)
    {
        string[] all;
        try
        {
            all = directory.ListAll();
        }
        catch (Exception exception) when (IsSymptom(exception))
        {
            all = [];
        }

        var named = all.Where(file => message.Contains(file, StringComparison.Ordinal)).ToList();
        if (named.Count == 0)
        {
            // A missing file is not listed; Lucene's message names it by full path.
            foreach (var token in message.Split([' ', '"', '\'', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Path.GetFileName(token.TrimEnd('.', ':'));
                if (name.StartsWith('_') || name.StartsWith("segments", StringComparison.Ordinal))
                {
                    named.Add(name);
                }
            }
        }

        // A longer name that contains a shorter one (_3.cfs vs _3_1.del) is kept; duplicates go.
        return named.Distinct(StringComparer.Ordinal).ToList();
    }
}
