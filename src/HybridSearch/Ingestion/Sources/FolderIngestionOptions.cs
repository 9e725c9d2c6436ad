using HybridSearch.Ingestion.Dicom;

namespace HybridSearch.Ingestion.Sources;

/// <summary>Settings for <see cref="FolderRecordSource"/>; every setting is checked when set, also in <c>with</c>.</summary>
public sealed record FolderIngestionOptions
{
    /// <summary>Default options.</summary>
    public static FolderIngestionOptions Default { get; } = new();

    /// <summary>When false (default), files and directories whose name starts with '.' are ignored.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>Largest text record or sidecar (.txt, .md, .json) read, in bytes; larger is an error for that item.
    /// Default 16 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxTextFileBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTextFileBytes), value, "MaxTextFileBytes must be 1 or more.");
    } = 16L << 20;

    /// <summary>Whether files referenced by record JSON files must exist (default true).</summary>
    public bool RequireReferencedFiles { get; init; } = true;

    /// <summary>Directories outside the walked folder that paths in record JSON files may also resolve into (after
    /// following symbolic links). Empty by default: a record file's image or audio path must resolve inside the
    /// walked folder. (The walk itself never follows symbolic links.) Relative entries are relative to the current
    /// directory.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">An entry is blank.</exception>
    public IReadOnlyList<string> AllowedDirectories
    {
        get;
        init => field = SourceOptionChecks.Directories(value, nameof(AllowedDirectories));
    } = [];

    /// <summary>How DICOM files (.dcm, .dicom, extension-less with the DICM preamble) are grouped into records.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public DicomIngestionOptions Dicom
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Dicom));
    } = DicomIngestionOptions.Default;
}
