namespace HybridSearch.Ingestion.Dicom;

/// <summary>How DICOM files are ingested: grouping of a folder's instances into records, which frames become
/// images, and whether patient-identifying tags are kept.</summary>
public sealed record DicomIngestionOptions
{
    /// <summary>Study grouping, middle frame, no PHI.</summary>
    public static DicomIngestionOptions Default { get; } = new();

    /// <summary>One record per study (default) or per series.</summary>
    public DicomGrouping Grouping { get; init; } = DicomGrouping.Study;

    /// <summary>Frames of multi-frame files that become images (default: the middle one).</summary>
    public DicomFrameSelection Frames { get; init; } = DicomFrameSelection.Middle;

    /// <summary>When true, PatientName, PatientID, PatientBirthDate, AccessionNumber, InstitutionName and
    /// ReferringPhysicianName are stored and indexed too. Default false: they are never read into a field. The
    /// caller is then responsible for the index as for any store of patient data.</summary>
    public bool KeepPhi { get; init; }
}
