using System.Text;
using HybridSearch.Ingestion.Media;
using HybridSearch.Ingestion.Sources;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// The DICOM part of folder ingestion: finds the DICOM files of a tree (.dcm/.dicom, or any extension-less file with
/// the <c>DICM</c> preamble), reads their headers (not their pixels), groups the instances into one record per study
/// or series, and finds each group's report: a .txt/.md file named after the group's UID, <c>report.txt|md</c> in the
/// directory holding all its instances, or one named after that directory beside it. Those files are claimed, so
/// the folder walk does not also index them as records of their own.
/// </summary>
internal sealed class DicomFolderCatalog
{
    private static readonly string[] ReportExtensions = [".md", ".txt"];
    private readonly List<Instance> _instances = [];
    private readonly List<IngestionItem> _errors = [];
    private readonly FolderIngestionOptions _options;
    private readonly DicomIngestionOptions _dicom;

    private DicomFolderCatalog(FolderIngestionOptions options)
    {
        _options = options;
        _dicom = options.Dicom;
    }

    /// <summary>Full paths of the DICOM files and report sidecars this catalog turns into records.</summary>
    public HashSet<string> ClaimedFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>True when the file is one folder ingestion treats as DICOM.</summary>
    public static bool IsDicomCandidate(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Equals(".dcm", StringComparison.OrdinalIgnoreCase) || extension.Equals(".dicom", StringComparison.OrdinalIgnoreCase)
            || (extension.Length == 0 && DicomReader.IsDicomFile(path));
    }

    /// <summary>Walks the tree (same rules as the folder walk: no hidden entries unless asked, no symbolic links
    /// followed) and reads every DICOM header.</summary>
    public static DicomFolderCatalog Scan(string root, FolderIngestionOptions options, CancellationToken cancellationToken)
    {
        var catalog = new DicomFolderCatalog(options);
        var reader = new DicomReader();
        var enumeration = new EnumerationOptions
        {
            AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Device,
            IgnoreInaccessible = true,
            RecurseSubdirectories = false,
        };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var path in Directory.EnumerateFiles(directory, "*", enumeration).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if ((!options.IncludeHidden && Path.GetFileName(path).StartsWith('.')) || !IsDicomCandidate(path))
                {
                    continue;
                }

                catalog.ClaimedFiles.Add(path);
                try
                {
                    var file = reader.ReadHeader(path);
                    if (file.FrameCount > reader.Options.MaxFrames)
                    {
                        throw new DicomFormatException(path, MediaDecodeFailure.TooLarge, $"NumberOfFrames {file.FrameCount} is over the limit of {reader.Options.MaxFrames}");
                    }

                    catalog._instances.Add(Instance.From(path, file, options.Dicom.KeepPhi));
                }
                catch (DicomFormatException exception)
                {
                    catalog._errors.Add(IngestionItem.FromError(new MediaDecodeException(path, exception.Failure, exception.Reason, exception)));
                }
            }

            foreach (var sub in Directory.EnumerateDirectories(directory, "*", enumeration).Order(StringComparer.Ordinal).Reverse())
            {
                if (options.IncludeHidden || !Path.GetFileName(sub).StartsWith('.'))
                {
                    pending.Push(sub);
                }
            }
        }

        catalog.FindReports(root);
        return catalog;
    }

    private readonly Dictionary<string, string> _reports = new(StringComparer.Ordinal);

    private IEnumerable<IGrouping<string, Instance>> Groups(string root) => _instances
        .GroupBy(instance => GroupId(instance, root), StringComparer.Ordinal)
        .OrderBy(group => group.Key, StringComparer.Ordinal);

    private string GroupId(Instance instance, string root)
    {
        var uid = _dicom.Grouping == DicomGrouping.Series ? instance.SeriesUid : instance.StudyUid;

        // Without the UID the instance is a record of its own, named by its path as other folder records are.
        return uid is { Length: > 0 } && !uid.Any(char.IsControl) ? uid : Path.GetRelativePath(root, instance.Path).Replace(Path.DirectorySeparatorChar, '/');
    }

    private void FindReports(string root)
    {
        foreach (var group in Groups(root))
        {
            var directories = group.Select(instance => Path.GetDirectoryName(instance.Path)!).Distinct(StringComparer.Ordinal).ToList();
            var candidates = new List<string>();
            foreach (var directory in directories.Append(root).Distinct(StringComparer.Ordinal))
            {
                candidates.AddRange(ReportExtensions.Select(extension => Path.Combine(directory, group.Key + extension)));
            }

            if (directories.Count == 1 && !string.Equals(directories[0], root, StringComparison.Ordinal))
            {
                candidates.AddRange(ReportExtensions.Select(extension => Path.Combine(directories[0], "report" + extension)));
                var parent = Path.GetDirectoryName(directories[0])!;
                candidates.AddRange(ReportExtensions.Select(extension => Path.Combine(parent, Path.GetFileName(directories[0]) + extension)));
            }

            if (candidates.FirstOrDefault(File.Exists) is { } report)
            {
                _reports[group.Key] = report;
                ClaimedFiles.Add(report);
            }
        }
    }

    /// <summary>One record per group (errors first, for files whose header could not be read), in UID order.</summary>
    public IEnumerable<IngestionItem> Items(string root)
    {
        foreach (var error in _errors)
        {
            yield return error;
        }

        foreach (var group in Groups(root))
        {
            yield return BuildRecord(group.Key, group.OrderBy(instance => instance.SeriesNumber)
                .ThenBy(instance => instance.InstanceNumber)
                .ThenBy(instance => instance.Path, StringComparer.Ordinal).ToList());
        }
    }

    private IngestionItem BuildRecord(string id, List<Instance> instances)
    {
        // Record fields: the tags every instance of the group agrees on (the study-level ones, and modality when
        // the study has one); each image keeps all of its own.
        var shared = new Dictionary<string, FieldValue>(instances[0].Fields, StringComparer.Ordinal);
        shared.Remove(DicomFieldNames.SopInstanceUid);
        foreach (var instance in instances.Skip(1))
        {
            foreach (var name in shared.Keys.ToList())
            {
                if (!instance.Fields.TryGetValue(name, out var value) || value != shared[name])
                {
                    shared.Remove(name);
                }
            }
        }

        var images = new List<RecordImage>();
        foreach (var instance in instances)
        {
            foreach (var index in _dicom.Frames.Indices(instance.FrameCount))
            {
                var metadata = new Dictionary<string, FieldValue>(instance.Fields, StringComparer.Ordinal)
                {
                    [DicomFieldNames.Frame] = FieldValue.Number(index + 1),
                };
                images.Add(new RecordImage(instance.Path, instance.SeriesDescription, metadata));
            }
        }

        var first = instances[0];
        var title = first.StudyDescription ?? first.SeriesDescription
            ?? string.Join(' ', new[] { first.Modality, "study", first.StudyDate }.OfType<string>());
        string? text = null;
        if (_reports.TryGetValue(id, out var report))
        {
            try
            {
                var length = new FileInfo(report).Length;
                if (length > _options.MaxTextFileBytes)
                {
                    return IngestionItem.FromError(new ManifestException(report, null, $"report is {length} bytes, over the limit of {_options.MaxTextFileBytes}"));
                }

                var (reportTitle, reportText) = FolderRecordSource.SplitTitle(File.ReadAllText(report, Encoding.UTF8),
                    report.EndsWith(".md", StringComparison.OrdinalIgnoreCase));
                title = reportTitle.Length > 0 ? reportTitle : title;
                text = reportText;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return IngestionItem.FromError(new IngestionException(report, null, $"cannot read: {exception.Message}", exception));
            }
        }

        return IngestionItem.FromRecord(new Record(id, title, text, shared, images));
    }

    /// <summary>What the catalog keeps of an instance: a few strings, not the header bytes.</summary>
    private sealed record Instance(string Path, int FrameCount, Dictionary<string, FieldValue> Fields, string? StudyUid, string? SeriesUid,
        int SeriesNumber, int InstanceNumber, string? StudyDescription, string? SeriesDescription, string? Modality, string? StudyDate)
    {
        public static Instance From(string path, DicomFile file, bool keepPhi)
        {
            var dataset = file.Dataset;
            return new Instance(path, file.FrameCount, DicomMetadata.Extract(dataset, keepPhi), dataset.GetString(DicomTags.StudyInstanceUid),
                dataset.GetString(DicomTags.SeriesInstanceUid), dataset.GetInt32(DicomTags.SeriesNumber) ?? 0, dataset.GetInt32(DicomTags.InstanceNumber) ?? 0,
                dataset.GetString(DicomTags.StudyDescription), dataset.GetString(DicomTags.SeriesDescription), dataset.GetString(DicomTags.Modality),
                dataset.GetString(DicomTags.StudyDate));
        }
    }
}
