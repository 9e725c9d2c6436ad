namespace HybridSearch.Ingestion.Dicom;

/// <summary>The record and image field names DICOM tags become (filter with e.g. <c>--filter modality=CT</c>).</summary>
public static class DicomFieldNames
{
    /// <summary>Modality (0008,0060), keyword: CT, MR, CR, US, ...</summary>
    public const string Modality = "modality";

    /// <summary>BodyPartExamined (0018,0015), keyword.</summary>
    public const string BodyPart = "body_part";

    /// <summary>StudyDate (0008,0020), date (midnight UTC).</summary>
    public const string StudyDate = "study_date";

    /// <summary>StudyDescription (0008,1030), keyword.</summary>
    public const string StudyDescription = "study_description";

    /// <summary>SeriesDescription (0008,103E), keyword.</summary>
    public const string SeriesDescription = "series_description";

    /// <summary>Manufacturer (0008,0070), keyword.</summary>
    public const string Manufacturer = "manufacturer";

    /// <summary>SliceThickness (0018,0050), number in millimetres.</summary>
    public const string SliceThickness = "slice_thickness";

    /// <summary>PatientAge (0010,1010), number in years (months, weeks and days converted).</summary>
    public const string PatientAge = "patient_age";

    /// <summary>PatientSex (0010,0040), keyword: M, F, O.</summary>
    public const string PatientSex = "patient_sex";

    /// <summary>StudyInstanceUID (0020,000D), keyword, for cross-reference.</summary>
    public const string StudyInstanceUid = "study_instance_uid";

    /// <summary>SeriesInstanceUID (0020,000E), keyword.</summary>
    public const string SeriesInstanceUid = "series_instance_uid";

    /// <summary>SOPInstanceUID (0008,0018), keyword (images only).</summary>
    public const string SopInstanceUid = "sop_instance_uid";

    /// <summary>The 1-based frame of a multi-frame file an image child shows (images only).</summary>
    public const string Frame = "dicom_frame";

    /// <summary>PatientName (0010,0010), keyword; only with <see cref="DicomIngestionOptions.KeepPhi"/>.</summary>
    public const string PatientName = "patient_name";

    /// <summary>PatientID (0010,0020), keyword; only with <see cref="DicomIngestionOptions.KeepPhi"/>.</summary>
    public const string PatientId = "patient_id";

    /// <summary>PatientBirthDate (0010,0030), date; only with <see cref="DicomIngestionOptions.KeepPhi"/>.</summary>
    public const string PatientBirthDate = "patient_birth_date";

    /// <summary>AccessionNumber (0008,0050), keyword; only with <see cref="DicomIngestionOptions.KeepPhi"/>.</summary>
    public const string AccessionNumber = "accession_number";

    /// <summary>InstitutionName (0008,0080), keyword; only with <see cref="DicomIngestionOptions.KeepPhi"/>.</summary>
    public const string InstitutionName = "institution_name";

    /// <summary>ReferringPhysicianName (0008,0090), keyword; only with <see cref="DicomIngestionOptions.KeepPhi"/>.</summary>
    public const string ReferringPhysicianName = "referring_physician_name";
}
