namespace HybridSearch.Ingestion.Dicom;

/// <summary>How DICOM files are ingested: grouping of a folder's instances into records, which frames become
/// images, and whether patient-identifying tags are kept.</summary>
public sealed record DicomIngestionOptions
{
    /// <summary>Study grouping, middle frame, no PHI.</summary>
    public static DicomIngestionOptions Default { get; } = new();

    /// <summary>One record per study (default) or per series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="DicomGrouping"/>.</exception>
    public DicomGrouping Grouping
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Grouping), value, "Grouping must be a defined DicomGrouping.");
    } = DicomGrouping.Study;

    /// <summary>Frames of multi-frame files that become images (default: the middle one).</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public DicomFrameSelection Frames
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Frames));
    } = DicomFrameSelection.Middle;

    /// <summary>When true, PatientName, PatientID, PatientBirthDate, AccessionNumber, InstitutionName and
    /// ReferringPhysicianName are stored and indexed too. Default false: they are never read into a field. The
    /// caller is then responsible for the index as for any store of patient data.</summary>
    public bool KeepPhi { get; init; }
}
