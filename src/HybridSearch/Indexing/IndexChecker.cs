using System.Globalization;
using System.Text.RegularExpressions;
using HybridSearch.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace HybridSearch.Indexing;

/// <summary>
/// The read-only health check behind <see cref="HybridIndex.Check"/>, in three passes, each only when the previous
/// one found the files sound (decoding a damaged file gives noise, not findings): (1) every file of the current commit
/// against its checksum footer (our vector files included); (2) Lucene's <see cref="CheckIndex"/> (segment structure,
/// postings, stored fields, norms, doc values — our vectors and graphs are doc values — term vectors); (3) the
/// records: every document's stored fields decode, every child (image, transcript segment, text chunk) has its record
/// in the same segment, every record is stored once and its children are numbered without gaps.
/// </summary>
internal static partial class IndexChecker
{
    /// <summary>How often a check is repeated when a writer committed while it ran (and deleted files it was reading).</summary>
    private const int Attempts = 3;

    public static IndexCheckReport Check(string path)
    {
        if (!System.IO.Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"No index at '{path}': the directory does not exist.");
        }

        HybridCodec.Register();
        using var directory = FSDirectory.Open(path);
        if (!DirectoryReader.IndexExists(directory))
        {
            throw new DirectoryNotFoundException($"No index at '{path}': the directory holds no Lucene index.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var generation = SegmentInfos.GetLastCommitGeneration(directory);
            var report = CheckCommit(path, directory);
            if (report.IsClean || attempt == Attempts || SegmentInfos.GetLastCommitGeneration(directory) == generation)
            {
                return report;
            }
        }
    }

    private static IndexCheckReport CheckCommit(string path, FSDirectory directory)
    {
        var problems = new List<IndexCheckProblem>(IndexCorruption.VerifyChecksums(directory));
        var infos = new SegmentInfos();
        var segments = 0;
        var files = 0;
        try
        {
            infos.Read(directory);
            segments = infos.Count;
            files = infos.GetFiles(directory, true).Count;
        }
        catch (Exception exception) when (IndexCorruption.IsSymptom(exception))
        {
            // Already reported by the checksum pass as the unreadable commit point.
        }

        if (problems.Count == 0)
        {
            problems.AddRange(RunLuceneCheck(directory, infos));
        }

        var (documents, records) = (0, 0);
        if (problems.Count == 0)
        {
            (documents, records) = CheckRecords(directory, problems);
        }

        return new IndexCheckReport(path, files, segments, documents, records, problems);
    }

    private static List<IndexCheckProblem> RunLuceneCheck(Lucene.Net.Store.Directory directory, SegmentInfos infos)
    {
        var problems = new List<IndexCheckProblem>();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        CheckIndex.Status status;
        try
        {
            var checker = new CheckIndex(directory) { InfoStream = output };
            status = checker.DoCheckIndex();
        }
        catch (Exception exception) when (IndexCorruption.IsSymptom(exception))
        {
            problems.Add(new IndexCheckProblem(null, $"Lucene CheckIndex failed: {IndexCorruption.Describe(exception)}"));
            return problems;
        }

        if (status.Clean)
        {
            return problems;
        }

        var log = output.ToString();
        var named = false;
        foreach (var segment in status.SegmentInfos)
        {
            var error = segment.FieldNormStatus?.Error ?? segment.TermIndexStatus?.Error ?? segment.StoredFieldStatus?.Error
                ?? segment.TermVectorStatus?.Error ?? segment.DocValuesStatus?.Error;
            if (segment.OpenReaderPassed && error is null)
            {
                continue;
            }

            named = true;
            var reason = error is not null ? IndexCorruption.Describe(error) : FailureIn(log, segment.Name);
            foreach (var file in FilesOf(infos, segment.Name))
            {
                problems.Add(new IndexCheckProblem(file, $"Lucene CheckIndex: segment {segment.Name}: {reason}"));
            }
        }

        if (!named)
        {
            problems.Add(new IndexCheckProblem(null, $"Lucene CheckIndex reports the index unclean: {LastLines(log)}"));
        }

        return problems;
    }

    private static IEnumerable<string> FilesOf(SegmentInfos infos, string segment)
    {
        var info = infos.Segments.FirstOrDefault(s => string.Equals(s.Info.Name, segment, StringComparison.Ordinal));
        return info is null ? [segment] : info.GetFiles().OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    /// <summary>The exception line CheckIndex printed for <paramref name="segment"/>.</summary>
    private static string FailureIn(string log, string segment)
    {
        var start = log.IndexOf($"name={segment} ", StringComparison.Ordinal);
        var section = start < 0 ? log : log[start..];
        var line = section.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => ExceptionLine().IsMatch(l));
        return line ?? "the segment failed its checks";
    }

    private static string LastLines(string log) => string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));

    [GeneratedRegex(@"(Exception|Error)\b")]
    private static partial Regex ExceptionLine();

    /// <summary>Reads every live document's identity and checks that records and children agree.</summary>
    private static (int Documents, int Records) CheckRecords(Lucene.Net.Store.Directory directory, List<IndexCheckProblem> problems)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal) { IndexFieldNames.Id, IndexFieldNames.Parent, IndexFieldNames.Kind };
        var documents = 0;
        var recordKind = RecordDocumentBuilder.KindName(DocumentKind.Record);
        var recordSegments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var children = new List<(string Segment, string Id, string Parent, string Kind)>();
        using (var reader = DirectoryReader.Open(directory))
        {
            foreach (var leaf in reader.Leaves)
            {
                var atomic = leaf.AtomicReader;
                var segment = (atomic as SegmentReader)?.SegmentName ?? $"leaf {leaf.Ord}";
                var live = atomic.LiveDocs;
                for (var doc = 0; doc < atomic.MaxDoc; doc++)
                {
                    if (live is not null && !live.Get(doc))
                    {
                        continue;
                    }

                    documents++;
                    Lucene.Net.Documents.Document stored;
                    try
                    {
                        stored = atomic.Document(doc, fields);
                    }
                    catch (Exception exception) when (IndexCorruption.IsSymptom(exception))
                    {
                        problems.Add(new IndexCheckProblem(null, $"segment {segment} document {doc}: stored fields do not decode: {IndexCorruption.Describe(exception)}"));
                        continue;
                    }

                    var id = stored.Get(IndexFieldNames.Id);
                    var parent = stored.Get(IndexFieldNames.Parent);
                    var kind = stored.Get(IndexFieldNames.Kind);
                    if (id is null || parent is null || kind is null)
                    {
                        problems.Add(new IndexCheckProblem(null, $"segment {segment} document {doc} lacks its id, parent or kind (id '{id}', parent '{parent}', kind '{kind}').", parent));
                        continue;
                    }

                    if (kind == recordKind)
                    {
                        if (!recordSegments.TryGetValue(parent, out var where))
                        {
                            recordSegments[parent] = where = [];
                        }

                        where.Add(segment);
                    }
                    else
                    {
                        children.Add((segment, id, parent, kind));
                    }
                }
            }
        }

        foreach (var (id, where) in recordSegments.Where(pair => pair.Value.Count > 1))
        {
            problems.Add(new IndexCheckProblem(null, $"record '{id}' is stored {where.Count} times (segments {string.Join(", ", where)}).", id));
        }

        foreach (var child in children)
        {
            if (!recordSegments.TryGetValue(child.Parent, out var where))
            {
                problems.Add(new IndexCheckProblem(null, $"{child.Kind} document '{child.Id}' (segment {child.Segment}) has no record '{child.Parent}' (an orphan).", child.Parent));
            }
            else if (!where.Contains(child.Segment))
            {
                problems.Add(new IndexCheckProblem(null, $"{child.Kind} document '{child.Id}' is in segment {child.Segment}, its record '{child.Parent}' in {string.Join(", ", where)}: the record was not written whole.", child.Parent));
            }
        }

        // Children are numbered 0..n-1 per kind ("doc#image/0", ...): a gap means a document of the record is missing.
        foreach (var group in children.GroupBy(c => (c.Parent, c.Kind)))
        {
            var numbers = group.Select(c => ChildNumber(c.Id)).Where(n => n >= 0).OrderBy(n => n).ToList();
            var expected = Enumerable.Range(0, numbers.Count);
            if (!numbers.SequenceEqual(expected))
            {
                problems.Add(new IndexCheckProblem(null, $"record '{group.Key.Parent}' has {group.Key.Kind} documents numbered {string.Join(",", numbers.Take(10))}{(numbers.Count > 10 ? ",..." : string.Empty)}; some are missing or repeated.", group.Key.Parent));
            }
        }

        return (documents, recordSegments.Count);
    }

    private static int ChildNumber(string id)
    {
        var slash = id.LastIndexOf('/');
        return slash >= 0 && int.TryParse(id.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }
}
